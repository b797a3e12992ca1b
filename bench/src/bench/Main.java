package bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The benchmark's load generator. Commands:
 * <pre>
 *   stub PORT                                      the auth stub (its own process)
 *   stub-warm PORT CALLS                           calls the stub CALLS times (its JIT warm-up)
 *   run target=goctopus|nchan port=P[,P2...] pid=PID[,PID2...] stub-pid=PID out=FILE [quick=true] [children=true] [jvm=true]
 *       [login=L password=P threads=N only=warm,b,s1,s2,s3,s4,s5]
 *   report GOCTOPUS_RESULTS NCHAN_RESULTS          the Markdown table on stdout
 *   median OUT RESULTS...                          one results file from several runs (Median)
 *   soak port=P pid=PID minutes=M dir=DIR [login=L password=P]   churn for M minutes (bench/soak)
 *   faults port=P pid=PID out=FILE [login=L password=P]          the others' latency beside each fault
 * </pre>
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: stub PORT | stub-warm PORT CALLS | run key=value... | report A B | median OUT RUNS...");
            System.exit(2);
        }
        switch (args[0]) {
            case "stub" -> {
                AuthStub.main(Integer.parseInt(args[1]));
                Thread.currentThread().join();
            }
            case "stub-warm" -> AuthStub.warm(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
            case "run" -> run(args);
            case "report" -> System.out.print(Report.render(Path.of(args[1]), Path.of(args[2])));
            case "median" -> Median.merge(Path.of(args[1]),
                    java.util.Arrays.stream(args, 2, args.length).map(Path::of).toList());
            case "soak" -> soak(args);
            case "faults" -> faults(args);
            default -> {
                System.err.println("unknown command " + args[0]);
                System.exit(2);
            }
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> o = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            o.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        return o;
    }

    /** One goctopus instance at port=P. */
    private static Target goctopus(Map<String, String> o) {
        return Target.of("goctopus", java.util.List.of(Integer.valueOf(o.get("port"))),
                o.getOrDefault("login", "bench"), o.getOrDefault("password", "bench"));
    }

    private static void soak(String[] args) throws Exception {
        Map<String, String> o = options(args);
        new Soak(goctopus(o), Long.parseLong(o.get("pid"))).run(Integer.parseInt(o.get("minutes")), Path.of(o.get("dir")));
        System.exit(0);
    }

    private static void faults(String[] args) throws Exception {
        Map<String, String> o = options(args);
        new Faults(goctopus(o), Long.parseLong(o.get("pid"))).run(Path.of(o.get("out")));
        System.exit(0);
    }

    private static void run(String[] args) throws Exception {
        Map<String, String> o = options(args);
        boolean quick = Boolean.parseBoolean(o.getOrDefault("quick", "false"));
        Target target = Target.of(o.get("target"),
                java.util.Arrays.stream(o.get("port").split(",")).map(Integer::valueOf).toList(),
                o.getOrDefault("login", "bench"), o.getOrDefault("password", "bench"));
        Runner runner = new Runner(target, quick ? Runner.Sizes.quick() : Runner.Sizes.full(),
                java.util.Arrays.stream(o.get("pid").split(",")).map(Long::valueOf).toList(),
                Boolean.parseBoolean(o.getOrDefault("children", "false")),
                Boolean.parseBoolean(o.getOrDefault("jvm", "false")), Long.parseLong(o.get("stub-pid")),
                Integer.parseInt(o.getOrDefault("threads", "2")));
        Path out = Path.of(o.get("out"));
        try {
            runner.all(java.util.Set.of(o.getOrDefault("only", "warm,b,s1,s2,s3,s4,s5").split(",")));
        } finally {
            runner.write(out);
        }
        Runner.log(target.name + ": done, results in " + out);
        System.exit(0);
    }
}
