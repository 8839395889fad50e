package dev.mkspec.ci.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mkspec.check.Action;
import dev.mkspec.check.Guard;
import dev.mkspec.check.StateMachine;
import dev.mkspec.ci.Main;
import dev.mkspec.ci.serve.ExplorerServer;
import dev.mkspec.refinement.ExplorerGraph;
import dev.mkspec.refinement.ModelBinding;
import dev.mkspec.refinement.ModelBindings;
import dev.mkspec.specs.tla.CfgParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The interactive explorer in headless Chromium, against the AddressSpaces model at the bounds of
 * {@code fast_grant}: the page lists exactly the enabled actions the model computes, taking one
 * shows the successor the model gives, "why not enabled" names the guard the model reports false,
 * a walk saved as ITF replays with {@code ./mkspec replay}, a trace of other variables is refused
 * with the state and variable named, and the server answers only loopback requests.
 */
class ExplorerPageTests {
    static final Path CFG = Path.of("..", "specs", "tla", "AddressSpaces", "MCAddressSpaces_fast_grant.cfg").toAbsolutePath().normalize();

    @TempDir
    static Path tmp;

    static StateMachine<Object> model;
    static ExplorerServer<Object> server;
    static ChromeDriver driver;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void start() throws Exception {
        ModelBinding<Object> binding = (ModelBinding<Object>) ModelBindings.standard().find("AddressSpaces").orElseThrow();
        model = binding.configured(CfgParser.parse(CFG));
        server = new ExplorerServer<>(model, "AddressSpaces", CFG.toString(), 0, tmp.resolve("walks"), Optional.empty());
        driver = Browser.start(tmp.resolve("chromium"));
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.quit();
        }
        if (server != null) {
            server.close();
        }
    }

    /** Opens the page afresh; the console messages of earlier tests are dropped. */
    private static void open() {
        Browser.consoleErrors(driver);
        driver.get(server.url());
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> "true".equals(d.findElement(By.tagName("body")).getAttribute("data-ready")));
    }

    private static Set<String> shownActions() {
        return driver.findElements(By.cssSelector("#enabled button.take")).stream().map(b -> b.getAttribute("data-label"))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> modelActions(Object state) {
        return model.enabled(state).stream().map(Action::toString).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Waits until the walk has {@code n} states and the page shows the last one. */
    private static void awaitTrail(int n) {
        String title = "State " + (n - 1);
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> d.findElements(By.cssSelector("#trail li")).size() == n
                && d.findElement(By.id("state-title")).getText().startsWith(title));
    }

    @Test
    void thePageListsExactlyTheModelsEnabledActionsAndTakingOneGivesTheModelsSuccessor() {
        open();
        Object init = model.initialStates().get(0);
        driver.findElement(By.cssSelector("#enabled button.take[data-label='Init']")).click();
        awaitTrail(1);
        assertEquals(modelActions(init), shownActions());

        // Take the first SpaceMap the page offers; the page's next state is the model's successor by it.
        WebElement map = driver.findElements(By.cssSelector("#enabled button.take")).stream()
                .filter(b -> b.getAttribute("data-label").startsWith("SpaceMap")).findFirst().orElseThrow();
        String label = map.getAttribute("data-label");
        List<Object> next = new ArrayList<>();
        model.successors(init, (a, s) -> {
            if (a.toString().equals(label)) {
                next.add(s);
            }
        });
        assertEquals(1, next.size(), "one successor by " + label);
        map.click();
        awaitTrail(2);
        assertEquals(modelActions(next.get(0)), shownActions());
        assertEquals(ReportPageChecks.mappedPages(ExplorerGraph.valuesOf(model, next.get(0))),
                driver.findElements(By.cssSelector("#picture svg.state-picture g.mdb-node")).size(), "mdb nodes drawn");
        assertFalse(driver.findElements(By.cssSelector("#tree .changed")).isEmpty(), "the changed values are marked");
        assertEquals(model.invariants().size(), driver.findElements(By.cssSelector("#invariants li")).size());

        // Back returns to the initial state's actions.
        driver.findElement(By.id("back")).click();
        awaitTrail(1);
        assertEquals(modelActions(init), shownActions());
        List<String> errors = Browser.consoleErrors(driver);
        assertTrue(errors.isEmpty(), "console errors: " + errors);
    }

    @Test
    void whyNotEnabledNamesTheGuardTheModelReportsFalse() {
        open();
        driver.findElement(By.cssSelector("#enabled button.take[data-label='Init']")).click();
        awaitTrail(1);
        Object init = model.initialStates().get(0);
        // Sigma0 never grants: SpaceGrant from Sigma0 is not enabled in any state.
        Select action = new Select(driver.findElement(By.id("why-action")));
        action.selectByVisibleText("SpaceGrant");
        List<WebElement> params = driver.findElements(By.cssSelector("#why-params select"));
        List<String> args = new ArrayList<>();
        for (WebElement p : params) {
            args.add(new Select(p).getFirstSelectedOption().getAttribute("value"));
        }
        Action grant = new Action("SpaceGrant", args);
        assertFalse(model.enabled(init).contains(grant));
        List<Guard> guards = model.guards(init, grant).orElseThrow();
        driver.findElement(By.id("why")).click();
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> !d.findElements(By.cssSelector("#why-result li")).isEmpty());
        List<WebElement> shown = driver.findElements(By.cssSelector("#why-result li"));
        assertEquals(guards.size(), shown.size());
        assertEquals(guards.get(guards.size() - 1).name(), driver.findElement(By.cssSelector("#why-result li.false")).getText());
        assertTrue(driver.findElement(By.cssSelector("#why-result p")).getText().contains("is not enabled"));
        List<String> errors = Browser.consoleErrors(driver);
        assertTrue(errors.isEmpty(), "console errors: " + errors);
    }

    @Test
    void aWalkSavedAsItfReplaysAndABadTraceIsRefusedNamingTheStateAndVariable() throws Exception {
        open();
        driver.findElement(By.cssSelector("#enabled button.take[data-label='Init']")).click();
        awaitTrail(1);
        driver.findElements(By.cssSelector("#enabled button.take")).get(0).click();
        awaitTrail(2);
        driver.findElements(By.cssSelector("#enabled button.take")).get(0).click();
        awaitTrail(3);
        driver.findElement(By.id("save")).click();
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> d.findElement(By.id("message")).getText().startsWith("saved to"));
        List<Path> saved;
        try (var files = Files.list(tmp.resolve("walks"))) {
            saved = files.toList();
        }
        assertEquals(1, saved.size());
        StringWriter out = new StringWriter();
        int exit = Main.execute(new String[] {"replay", saved.get(0).toString(), "--model", "AddressSpaces", "--config", CFG.toString()},
                new PrintWriter(out, true), new PrintWriter(new StringWriter(), true));
        assertEquals(0, exit, out.toString());

        // The same walk loads back; a trace without the variable mdb is refused, naming it.
        driver.findElement(By.id("restart")).click();
        driver.findElement(By.id("load")).sendKeys(saved.get(0).toString());
        awaitTrail(3);
        String bad = Files.readString(saved.get(0)).replace("\"mdb\"", "\"mdbx\"");
        Path badFile = tmp.resolve("bad.itf.json");
        Files.writeString(badFile, bad);
        driver.findElement(By.id("load")).sendKeys(badFile.toString());
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> d.findElement(By.id("message")).getAttribute("class").contains("error"));
        String message = driver.findElement(By.id("message")).getText();
        assertTrue(message.contains("state 0") && message.contains("mdb"), message);
        assertEquals(3, driver.findElements(By.cssSelector("#trail li")).size(), "the walk shown is kept");
        // The refusal is the server's answer 400, which the browser logs; nothing else may be.
        List<String> errors = Browser.consoleErrors(driver);
        assertTrue(errors.stream().allMatch(e -> e.contains("/api/load") && e.contains("400")), "console errors: " + errors);
    }

    /** Sends a raw HTTP request to the server and returns its status code and body. */
    private static String[] raw(String method, String path, String headers, String body) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            s.setSoTimeout(30_000);
            byte[] b = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            String head = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\n" + headers
                    + (headers.contains("Content-Length") ? "" : "Content-Length: " + b.length + "\r\n") + "Connection: close\r\n\r\n";
            s.getOutputStream().write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            s.getOutputStream().write(b);
            // The request ends here, whatever its Content-Length says: the server sees the end rather than waiting.
            s.shutdownOutput();
            String all = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            return new String[] {all.substring(9, 12), all.substring(all.indexOf("\r\n\r\n") + 4)};
        }
    }

    @Test
    void theServerRefusesWhatAPageElsewhereCouldSendAndWalksThatAreNotTheModels() throws Exception {
        String json = "Content-Type: application/json\r\n";
        String[] r = raw("POST", "/api/save", json + "Origin: http://attacker.example\r\n", "{\"steps\": []}");
        assertEquals("403", r[0], r[1]);
        r = raw("POST", "/api/load", "Content-Type: text/plain\r\n", "{}");
        assertEquals("400", r[0], r[1]);
        assertTrue(r[1].contains("takes Content-Type: application/json"), r[1]);
        r = raw("POST", "/api/load", json + "Content-Length: 900000000\r\n", "");
        assertEquals("413", r[0], r[1]);
        r = raw("POST", "/api/save", json, "{\"steps\": [");
        assertEquals("400", r[0], r[1]);
        assertTrue(r[1].contains("not JSON"), r[1]);
        // A walk that does not start in an initial state is not saved as a regression test.
        Object init = model.initialStates().get(0);
        String[] st = raw("GET", "/api/model", "", "");
        assertEquals("200", st[0]);
        int initId = new com.fasterxml.jackson.databind.ObjectMapper().readTree(st[1]).path("initial").get(0).asInt();
        String[] state = raw("GET", "/api/state?id=" + initId, "", "");
        int next = new com.fasterxml.jackson.databind.ObjectMapper().readTree(state[1]).path("enabled").get(0).path("to").asInt();
        r = raw("POST", "/api/save", json, "{\"steps\": [{\"id\": " + next + ", \"label\": \"Init\"}]}");
        assertEquals("400", r[0], r[1]);
        assertTrue(r[1].contains("state 0 of the walk is not an initial state"), r[1]);
        List<Object> fromInit = new ArrayList<>();
        model.successors(init, (a, n) -> fromInit.add(n));
        r = raw("POST", "/api/save", json, "{\"steps\": [{\"id\": " + initId + "}, {\"id\": " + initId + "}]}");
        if (fromInit.contains(init)) {
            assertEquals("200", r[0], r[1]);
        } else {
            assertEquals("400", r[0], r[1]);
            assertTrue(r[1].contains("state 1 of the walk is not a successor of state 0"), r[1]);
        }
    }

    @Test
    void theServerAnswersOnlyLoopbackRequests() throws Exception {
        HttpURLConnection ok = (HttpURLConnection) URI.create(server.url() + "api/model").toURL().openConnection();
        assertEquals(200, ok.getResponseCode());
        // A page elsewhere reaching the port through DNS rebinding sends its own host name.
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            s.getOutputStream().write(("GET /api/model HTTP/1.1\r\nHost: attacker.example:" + server.port() + "\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String status = new String(s.getInputStream().readNBytes(12), java.nio.charset.StandardCharsets.US_ASCII);
            assertEquals("HTTP/1.1 403", status);
        }
        // It does not listen on the machine's other addresses (where the machine has any).
        int tried = 0;
        for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                if (a.isLoopbackAddress() || a.isLinkLocalAddress()) {
                    continue;
                }
                tried++;
                assertThrows(java.io.IOException.class, () -> {
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress(a, server.port()), 2000);
                    }
                }, "the server answered on " + a);
            }
        }
        System.out.println("ExplorerPageTests: tried " + tried + " non-loopback address(es)");
    }
}
