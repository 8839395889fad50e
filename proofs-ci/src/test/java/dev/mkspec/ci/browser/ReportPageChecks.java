package dev.mkspec.ci.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mkspec.specs.tla.TlaValue;
import dev.mkspec.specs.trace.ItfReader;
import dev.mkspec.specs.trace.Trace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The browser checks of {@code report.html}, run by {@code RepositoryChecksTests} on the report of
 * the whole fast plan (so that they cost one page load, not another plan run): a known
 * counterexample's view has the trace's number of states and names the violated invariant;
 * the keyboard moves the highlighted step; the mapping database's picture has one node per
 * mapped page; every catalog ID is an anchor that resolves; the check filters hide rows; no
 * JavaScript error reaches the console. It also keeps a screenshot of each area's picture, and of
 * a counterexample's view, under {@code target/mkspec/screens/}.
 */
public final class ReportPageChecks {
    /** The counterexample the checks look at: a grant that orphans a node breaks MdbIsForest in 4 states. */
    static final String KNOWN = "tlc:AddressSpaces/bug_grant_orphans";

    private ReportPageChecks() {
    }

    /**
     * Runs the checks.
     *
     * @param reportDir the folder with report.html, report.json and traces/
     * @param report report.json, read
     * @param screens where the screenshots go
     * @param scratch a folder for the browser's profile
     */
    public static void check(Path reportDir, JsonNode report, Path screens, Path scratch) throws IOException {
        ChromeDriver driver = Browser.start(scratch.resolve("chromium-report"));
        try {
            Path page = reportDir.resolve("report.html");
            driver.get(page.toUri().toString());
            JavascriptExecutor js = driver;
            assertEquals("true", String.valueOf(js.executeScript("return document.body.classList.contains('js')")),
                    "the report's script did not run");

            // The bar at the top stays put when scrolling; in screenshots it would cover the picture.
            js.executeScript("document.querySelector('nav').style.position = 'static';");

            // A known counterexample: its states, and the invariant it breaks.
            String domId = "trace-" + dev.mkspec.ci.view.Html.id(KNOWN);
            WebElement section = driver.findElement(By.id(domId));
            Trace trace = ItfReader.read(reportDir.resolve("traces").resolve(dev.mkspec.ci.plan.PlanContext.fileName(KNOWN) + ".itf.json"));
            assertEquals(trace.length(), section.findElements(By.cssSelector(".step-item")).size(), "steps listed");
            assertEquals(String.valueOf(trace.length()), section.getAttribute("data-steps"));
            assertEquals("MdbIsForest", section.findElement(By.cssSelector(".violated-property")).getText());
            // The orphan's parent is a database node whose page maps nothing: AS-4's second conjunct.
            assertEquals("\\A e \\in mdb : Mapped(Db, e[2])", section.findElement(By.cssSelector(".conjunct")).getText());
            assertTrue(section.findElement(By.cssSelector(".step-item.violation")).getAttribute("data-step")
                    .equals(String.valueOf(trace.length() - 1)), "the violation is marked at the last state");

            // The keyboard moves the highlight.
            js.executeScript("arguments[0].scrollIntoView(); arguments[0].focus();", section);
            assertEquals("0", current(section));
            section.sendKeys(Keys.ARROW_RIGHT);
            assertEquals("1", current(section));
            section.sendKeys("j");
            assertEquals("2", current(section));
            section.sendKeys(Keys.ARROW_LEFT);
            assertEquals("1", current(section));
            section.sendKeys(Keys.END);
            assertEquals(String.valueOf(trace.length() - 1), current(section));
            assertEquals(1, section.findElements(By.cssSelector(".step-view.current")).size());
            WebElement view = section.findElement(By.cssSelector(".step-view.current"));
            assertTrue(view.isDisplayed());

            // The mapping database's picture: one node per mapped page of the state shown.
            int mapped = mappedPages(trace.last().values());
            assertEquals(mapped, view.findElements(By.cssSelector("svg.state-picture g.mdb-node")).size(),
                    "mdb nodes in the picture of the last state");
            Files.createDirectories(screens);
            Files.copy(section.getScreenshotAs(OutputType.FILE).toPath(), screens.resolve("counterexample.png"),
                    StandardCopyOption.REPLACE_EXISTING);

            // Every catalog ID is an anchor.
            List<String> ids = new ArrayList<>();
            report.path("invariants").forEach(i -> ids.add(i.path("id").asText()));
            assertTrue(ids.size() > 50, ids.toString());
            @SuppressWarnings("unchecked")
            List<String> missing = (List<String>) js.executeScript(
                    "return arguments[0].filter(function (id) { var e = document.getElementById(id);"
                            + " return !e || !e.classList.contains('entry'); });", ids);
            assertTrue(missing.isEmpty(), "catalog IDs without an anchor: " + missing);
            driver.get(page.toUri() + "#AS-3");
            assertEquals("AS-3", js.executeScript("var t = document.querySelector(':target'); return t ? t.id : null;"));

            // The filters hide rows of other areas.
            int all = driver.findElements(By.cssSelector("table.checks tbody tr")).size();
            js.executeScript("var s = document.querySelector('select.filter[data-filter=area]'); s.value = 'Tlb';"
                    + " s.dispatchEvent(new Event('change'));");
            long shown = driver.findElements(By.cssSelector("table.checks tbody tr")).stream().filter(WebElement::isDisplayed).count();
            assertTrue(shown > 0 && shown < all, shown + " of " + all + " rows shown for Tlb");

            // A screenshot of each area's picture, from the last state of one of its traces.
            for (String area : List.of("AddressSpaces", "Tlb", "Ipc", "Segments", "SmallSpaces", "FlushShootdown")) {
                Object found = js.executeScript("var svg = document.querySelector('section.trace svg.state-picture[data-area=\"' + arguments[0] + '\"]');"
                        + " if (!svg) { return null; } var sec = svg.closest('section.trace');"
                        + " window.mkspecShowStep(sec, parseInt(sec.getAttribute('data-steps'), 10) - 1);"
                        + " var shown = sec.querySelector('.step-view.current svg.state-picture');"
                        + " if (shown) { shown.scrollIntoView(); } return shown;", area);
                assertTrue(found instanceof WebElement, "no trace of " + area + " has a picture");
                Files.copy(((WebElement) found).getScreenshotAs(OutputType.FILE).toPath(), screens.resolve(area + ".png"),
                        StandardCopyOption.REPLACE_EXISTING);
            }
            List<String> errors = Browser.consoleErrors(driver);
            assertFalse(errors.stream().anyMatch(e -> !e.contains("favicon")), "console errors: " + errors);
        } finally {
            driver.quit();
        }
    }

    private static String current(WebElement section) {
        return section.findElement(By.cssSelector(".step-item.current")).getAttribute("data-step");
    }

    /** The pages that map a frame in AddressSpaces' {@code mappings} (a record per mapped page). */
    static int mappedPages(java.util.Map<String, TlaValue> values) {
        int n = 0;
        if (values.get("mappings") instanceof TlaValue.Fun spaces) {
            for (TlaValue pages : spaces.entries().values()) {
                if (pages instanceof TlaValue.Fun f) {
                    n += (int) f.entries().values().stream().filter(v -> v instanceof TlaValue.Record).count();
                } else if (pages instanceof TlaValue.Seq s) {
                    n += (int) s.elements().stream().filter(v -> v instanceof TlaValue.Record).count();
                }
            }
        }
        return n;
    }
}
