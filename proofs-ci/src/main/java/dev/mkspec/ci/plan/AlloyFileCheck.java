package dev.mkspec.ci.plan;

import dev.mkspec.specs.ExitClass;
import dev.mkspec.specs.MkspecException;
import dev.mkspec.specs.alloy.AlloyCommandInfo;
import dev.mkspec.specs.alloy.AlloyCommandResult;
import dev.mkspec.specs.alloy.AlloyFileResult;
import dev.mkspec.specs.alloy.AlloyListener;
import dev.mkspec.specs.alloy.AlloyOutcome;
import dev.mkspec.specs.alloy.AlloyProcessRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;

/** Runs the selected commands of one Alloy file in a child JVM and judges each by its comment. */
final class AlloyFileCheck implements PlanTask {
    private final Path file;
    private final String area;
    private final List<AlloyCommandInfo> commands;

    AlloyFileCheck(Path file, List<AlloyCommandInfo> commands) {
        this.file = file;
        this.area = file.getFileName().toString().replaceFirst("\\.als$", "");
        this.commands = List.copyOf(commands);
    }

    static String id(String area, AlloyCommandInfo c) {
        return "alloy:" + area + "/" + c.name();
    }

    @Override
    public List<String> ids() {
        return commands.stream().map(c -> id(area, c)).toList();
    }

    @Override
    public List<CheckResult> run(PlanContext context) {
        String taskId = ids().get(0);
        Set<String> wanted = new java.util.HashSet<>(commands.stream().map(AlloyCommandInfo::name).toList());
        Optional<String> only = commands.size() == 1 ? Optional.of(commands.get(0).name()) : Optional.empty();
        AlloyProcessRunner runner = new AlloyProcessRunner(Optional.of(context.timeout("fast", Optional.empty())),
                Optional.empty());
        long start = System.nanoTime();
        AlloyFileResult result;
        try {
            result = runner.run(file, only, new AlloyListener() {
                @Override
                public void started(AlloyCommandInfo c) {
                    context.board().update(taskId, "running " + c.name());
                }
            });
        } catch (MkspecException e) {
            List<CheckResult> out = new ArrayList<>();
            for (AlloyCommandInfo c : commands) {
                out.add(CheckResult.error(id(area, c), CheckResult.Kind.ALLOY, area, c.name(), "fast", e.exitClass(),
                        expectation(c), e.getMessage(), Duration.ofNanos(System.nanoTime() - start)));
            }
            return out;
        }
        List<CheckResult> out = new ArrayList<>();
        for (AlloyCommandResult r : result.commands()) {
            if (!wanted.contains(r.command().name())) {
                continue;
            }
            out.add(judge(context, r, result.alloyVersion(), result.warnings()));
        }
        return out;
    }

    private CheckResult judge(PlanContext context, AlloyCommandResult r, String version, List<String> warnings) {
        AlloyCommandInfo c = r.command();
        String id = id(area, c);
        List<String> mismatches = new ArrayList<>();
        CheckResult.Status status;
        if (r.outcome() == AlloyOutcome.SAT || r.outcome() == AlloyOutcome.UNSAT) {
            if (!r.judged()) {
                status = CheckResult.Status.NOT_JUDGED;
            } else if (r.asExpected()) {
                status = CheckResult.Status.PASSED;
            } else {
                status = CheckResult.Status.FAILED;
                mismatches.add("expected " + c.expectation().get().id() + ", got " + r.outcome().id()
                        + (c.check() && r.outcome() == AlloyOutcome.SAT ? ": Alloy found a counterexample" : ""));
            }
        } else {
            ExitClass exit = r.outcome().exitClassWhenUnexpected();
            status = CheckResult.Status.of(exit);
            mismatches.add(r.outcome().id() + (r.message().isEmpty() ? "" : ": " + r.message()));
        }
        TraceFiles files = TraceFiles.write(context, id, r.instance());
        String message = r.message().isEmpty() ? describe(r) : r.message();
        if (status == CheckResult.Status.FAILED && !warnings.isEmpty()) {
            // An irrelevant join or a similar warning often explains an unexpected unsat.
            message += "\nAlloy warned about the model:\n" + String.join("\n", warnings);
        }
        return new CheckResult(id, CheckResult.Kind.ALLOY, area, c.name(), "fast", status, expectation(c),
                r.outcome().id(), mismatches, message, OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(),
                OptionalDouble.empty(), r.elapsed(), "Alloy " + version + " (SAT4J)", List.of(c.name()),
                c.text().replaceFirst("^\\S+ \\S+ ", ""), files.itf(), files.text(),
                Optional.empty());
    }

    private static String describe(AlloyCommandResult r) {
        boolean check = r.command().check();
        return switch (r.outcome()) {
            case SAT -> check ? "Alloy found a counterexample to the assertion within the scope"
                    : "Alloy found an instance within the scope";
            case UNSAT -> check ? "no counterexample within the scope" : "no instance within the scope";
            default -> r.outcome().id();
        };
    }

    private static String expectation(AlloyCommandInfo c) {
        return c.expectation().map(AlloyOutcome::id).orElse("(no expectation)");
    }
}
