package dev.mkspec.ci.plan;

import dev.mkspec.specs.ExitClass;
import dev.mkspec.specs.MkspecException;
import dev.mkspec.specs.alloy.AlloyCommandInfo;
import dev.mkspec.specs.alloy.AlloyCommandResult;
import dev.mkspec.specs.alloy.AlloyFileResult;
import dev.mkspec.specs.alloy.AlloyListener;
import dev.mkspec.specs.alloy.AlloyOutcome;
import dev.mkspec.specs.alloy.AlloyProcessRunner;
import dev.mkspec.specs.alloy.Companions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Runs the selected commands of one Alloy file in a child JVM and judges each by its comment.
 *
 * <p>A check also needs a companion run that is sat ({@link Companions}): a check whose companion
 * is unsat is vacuous at its scope and fails, and so does a check without a companion. The
 * companions of the selected checks run even when the filter does not select them.
 */
final class AlloyFileCheck implements PlanTask {
    private final Path file;
    private final String area;
    private final List<AlloyCommandInfo> commands;
    private final Companions companions;

    /**
     * @param all every command of the file, for pairing checks with their companions
     * @param commands the commands selected to report
     */
    AlloyFileCheck(Path file, List<AlloyCommandInfo> all, List<AlloyCommandInfo> commands) {
        this.file = file;
        this.area = file.getFileName().toString().replaceFirst("\\.als$", "");
        this.commands = List.copyOf(commands);
        this.companions = Companions.of(all);
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
        Set<String> toRun = new java.util.LinkedHashSet<>(wanted);
        for (AlloyCommandInfo c : commands) {
            if (c.check()) {
                companions.of(c.name()).forEach(w -> toRun.add(w.name()));
            }
        }
        AlloyProcessRunner runner = new AlloyProcessRunner(Optional.of(context.timeout("fast", Optional.empty())),
                Optional.empty());
        long start = System.nanoTime();
        AlloyFileResult result;
        try {
            result = runner.run(file, List.copyOf(toRun), new AlloyListener() {
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
        java.util.Map<String, AlloyCommandResult> byName = new java.util.HashMap<>();
        result.commands().forEach(r -> byName.put(r.command().name(), r));
        List<CheckResult> out = new ArrayList<>();
        for (AlloyCommandResult r : result.commands()) {
            if (!wanted.contains(r.command().name())) {
                continue;
            }
            out.add(judge(context, r, byName, result.alloyVersion(), result.warnings()));
        }
        return out;
    }

    /**
     * Why a check is not worth citing at its scope, if it is not: it has no companion, or a
     * companion found no instance (the check is vacuous), or a companion did not finish.
     */
    private List<String> vacuity(AlloyCommandInfo c, java.util.Map<String, AlloyCommandResult> byName) {
        if (!Companions.needsCompanion(c)) {
            return List.of();
        }
        List<AlloyCommandInfo> mine = companions.of(c.name());
        if (mine.isEmpty()) {
            return List.of("no companion: add a run with the check's scope, marked // witness-of: " + c.name()
                    + ", that shows its premises and operation can happen (and change something)");
        }
        List<String> out = new ArrayList<>();
        for (AlloyCommandInfo w : mine) {
            AlloyCommandResult wr = byName.get(w.name());
            if (wr == null) {
                out.add("its companion " + w.name() + " did not run");
            } else if (wr.outcome() == AlloyOutcome.UNSAT) {
                out.add("vacuous: its premises cannot happen at this scope (its companion " + w.name()
                        + " found no instance)");
            } else if (wr.outcome() != AlloyOutcome.SAT) {
                out.add("its companion " + w.name() + " did not finish (" + wr.outcome().id()
                        + "), so whether the check is vacuous is unknown");
            }
        }
        return out;
    }

    private CheckResult judge(PlanContext context, AlloyCommandResult r, java.util.Map<String, AlloyCommandResult> byName,
            String version, List<String> warnings) {
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
        List<String> vacuity = new ArrayList<>(companions.problemsOf(c.name()));
        if (c.check()) {
            vacuity.addAll(vacuity(c, byName));
        }
        if (!vacuity.isEmpty() && (status == CheckResult.Status.PASSED || status == CheckResult.Status.NOT_JUDGED)) {
            status = CheckResult.Status.FAILED;
        }
        mismatches.addAll(vacuity);
        TraceFiles files = TraceFiles.write(context, id, r.instance());
        String message = r.message().isEmpty() ? describe(r) : r.message();
        if (!vacuity.isEmpty()) {
            message += "\n" + String.join("\n", vacuity);
        } else if (c.check() && Companions.needsCompanion(c)) {
            message += "; not vacuous: "
                    + companions.of(c.name()).stream().map(AlloyCommandInfo::name).collect(Collectors.joining(", "))
                    + " found an instance of its premises";
        }
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
