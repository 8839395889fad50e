package dev.mkspec.ci.browser;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The browser checks of {@link ReportPageChecks} on a report that already exists, for working on
 * the page without running the whole plan: {@code mvn -B test -pl proofs-ci -Dtest=ReportPageTests
 * -Dmkspec.reportDir=/path/to/target/mkspec} (the run must include
 * {@value ReportPageChecks#KNOWN} and a trace of every area). In {@code mvn -B verify} the same
 * checks run inside {@code RepositoryChecksTests}, on the report of the whole fast plan.
 */
@EnabledIfSystemProperty(named = "mkspec.reportDir", matches = ".+")
class ReportPageTests {
    @Test
    void theReportOfAnEarlierRunPassesTheBrowserChecks(@TempDir Path tmp) throws Exception {
        Path dir = Path.of(System.getProperty("mkspec.reportDir")).toAbsolutePath();
        ReportPageChecks.check(dir, new ObjectMapper().readTree(Files.readString(dir.resolve("report.json"))),
                Path.of("..", "target", "mkspec", "screens").toAbsolutePath().normalize(), tmp);
    }
}
