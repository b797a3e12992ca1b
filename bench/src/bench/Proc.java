package bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** CPU and memory of other processes, from /proc. */
final class Proc {
    static final long TICK_NANOS = 10_000_000L; // USER_HZ = 100 on Linux

    private Proc() {
    }

    /** The process and, when withChildren, its direct children (nginx: master and workers). */
    static List<Long> family(long pid, boolean withChildren) {
        List<Long> pids = new ArrayList<>();
        pids.add(pid);
        if (!withChildren) {
            return pids;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : ds) {
                String stat;
                try {
                    stat = Files.readString(p.resolve("stat"));
                } catch (IOException e) {
                    continue;
                }
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                if (Long.parseLong(f[1]) == pid) {
                    pids.add(Long.parseLong(p.getFileName().toString()));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return pids;
    }

    /** utime + stime in nanoseconds, summed; 0 for a process that is gone. */
    static long cpuNanos(List<Long> pids) {
        long ticks = 0;
        for (long pid : pids) {
            try {
                ticks += cpuTicks(Files.readString(Path.of("/proc/" + pid + "/stat")));
            } catch (IOException e) {
                // gone
            }
        }
        return ticks * TICK_NANOS;
    }

    /**
     * CPU of a JVM's JIT compiler threads (utime + stime, nanoseconds): how much of a server's
     * CPU went to compiling rather than serving. Linux cuts thread names to 15 characters.
     */
    static long jitNanos(long pid) {
        long ticks = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : ds) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException e) {
                    continue; // thread ended
                }
                String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
                    ticks += cpuTicks(stat);
                }
            }
        } catch (IOException e) {
            return 0; // gone
        }
        return ticks * TICK_NANOS;
    }

    /** utime + stime of one /proc stat line, in clock ticks (fields 14 and 15, after the name). */
    private static long cpuTicks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** Proportional set size in KiB, summed (shared pages counted once across the family). */
    static long pssKb(List<Long> pids) {
        long kb = 0;
        for (long pid : pids) {
            kb += field("/proc/" + pid + "/smaps_rollup", "Pss:");
        }
        return kb;
    }

    static long rssKb(List<Long> pids) {
        long kb = 0;
        for (long pid : pids) {
            kb += field("/proc/" + pid + "/status", "VmRSS:");
        }
        return kb;
    }

    /**
     * A JVM's live heap after a full GC (jcmd), KiB; 0 when jcmd failed. Finalizers run
     * between two collections: the JDK's HTTP client leaves a finalizable stream behind
     * each auth call, which one collection keeps for its finalizer.
     */
    static long liveHeapKb(long pid) {
        try {
            jcmd(pid, "GC.run");
            jcmd(pid, "GC.run_finalization");
            jcmd(pid, "GC.run");
            Matcher m = Pattern.compile("used (\\d+)K").matcher(jcmd(pid, "GC.heap_info"));
            return m.find() ? Long.parseLong(m.group(1)) : 0;
        } catch (IOException | InterruptedException e) {
            System.err.println("jcmd failed: " + e);
            return 0;
        }
    }

    private static String jcmd(long pid, String cmd) throws IOException, InterruptedException {
        Process pr = new ProcessBuilder("jcmd", String.valueOf(pid), cmd).redirectErrorStream(true).start();
        byte[] all = pr.getInputStream().readAllBytes();
        if (!pr.waitFor(60, TimeUnit.SECONDS)) {
            pr.destroyForcibly();
        }
        return new String(all, StandardCharsets.UTF_8);
    }

    private static long field(String file, String name) {
        try {
            for (String line : Files.readAllLines(Path.of(file))) {
                if (line.startsWith(name)) {
                    return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException e) {
            // gone
        }
        return 0;
    }
}
