package dev.mkspec.ci.browser;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Headless Chromium for the browser tests, from Debian's {@code chromium} and
 * {@code chromium-driver} packages (/usr/bin/chromium, /usr/bin/chromedriver), which
 * {@code .ci/run} installs. Selenium is told both paths, so it never tries to download a browser
 * (the machine has no network beyond the package registries).
 *
 * <p>Where Chromium is missing the tests are skipped, with the reason, unless the environment
 * says {@code MKSPEC_BROWSER_TESTS=required} (as {@code .ci/run} does after installing it): then a
 * missing browser fails them, so that CI cannot pass without running them.
 */
final class Browser {
    static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("MKSPEC_CHROMIUM", "/usr/bin/chromium"));
    static final Path DRIVER = Path.of(System.getenv().getOrDefault("MKSPEC_CHROMEDRIVER", "/usr/bin/chromedriver"));

    private Browser() {
    }

    /** A headless Chromium with the browser's console log kept, or the test skipped (see the class comment). */
    static ChromeDriver start(Path profileDir) {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER);
        if (!present) {
            String why = "the browser tests need Debian's chromium and chromium-driver (" + CHROMIUM + ", " + DRIVER
                    + "): apt-get install -y chromium chromium-driver, as .ci/run does";
            if ("required".equals(System.getenv("MKSPEC_BROWSER_TESTS"))) {
                throw new AssertionError(why);
            }
            Assumptions.abort(why);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // As root on a machine without network: no sandbox, no GPU, and no background connections,
        // which this machine refuses many at a time.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-extensions", "--window-size=1920,1200", "--user-data-dir=" + profileDir.toAbsolutePath());
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        return driver;
    }

    /** The console messages at level SEVERE (errors, uncaught exceptions) since the last call. */
    static List<String> consoleErrors(WebDriver driver) {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).map(LogEntry::toString).toList();
    }
}
