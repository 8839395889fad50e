package dev.mkspec.ci;

import dev.mkspec.specs.alloy.AlloyRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Facts about the run that reports record: mkspec's version, the git commit of the checked tree,
 * the Java and tool versions.
 *
 * @param mkspecVersion mkspec's version, from the jar's manifest, or "dev"
 * @param commit the commit of the tree being checked, or "unknown" outside git
 * @param dirty whether the tree has uncommitted changes
 * @param java the JVM that runs mkspec
 * @param alloy Alloy's version
 */
public record RunEnvironment(String mkspecVersion, String commit, boolean dirty, String java, String alloy) {

    /** Reads the facts for a tree rooted at {@code root}. */
    public static RunEnvironment of(Path root) {
        String version = RunEnvironment.class.getPackage().getImplementationVersion();
        String commit = git(root, "rev-parse", "HEAD");
        String status = git(root, "status", "--porcelain");
        return new RunEnvironment(version == null ? "dev" : version, commit == null ? "unknown" : commit,
                status != null && !status.isBlank(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                AlloyRunner.alloyVersion());
    }

    private static String git(Path root, String... args) {
        try {
            String[] cmd = new String[args.length + 3];
            cmd[0] = "git";
            cmd[1] = "-C";
            cmd[2] = root.toAbsolutePath().toString();
            System.arraycopy(args, 0, cmd, 3, args.length);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return null;
            }
            return out;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
