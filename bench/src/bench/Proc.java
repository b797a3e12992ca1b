package bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
