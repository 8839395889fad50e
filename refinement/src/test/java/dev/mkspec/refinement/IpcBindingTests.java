package dev.mkspec.refinement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mkspec.model.ipc.IpcConstants;
import dev.mkspec.specs.tla.CfgParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The IPC binding reads every repository cfg, and says which constant is wrong in a bad one. */
class IpcBindingTests {
    static final Path FOLDER = Path.of("..", "specs", "tla", "Ipc");

    @Test
    void everyIpcCfgBuildsTheModel() throws IOException {
        List<Path> cfgs;
        try (Stream<Path> files = Files.list(FOLDER)) {
            cfgs = files.filter(p -> p.toString().endsWith(".cfg")).sorted().toList();
        }
        assertTrue(cfgs.size() >= 18, "found " + cfgs);
        for (Path cfg : cfgs) {
            IpcConstants k = IpcBinding.constants(CfgParser.parse(cfg));
            assertTrue(k.threads().size() >= 2, cfg.toString());
        }
        IpcConstants live = IpcBinding.constants(CfgParser.parse(FOLDER.resolve("MCIpc_live.cfg")));
        assertEquals("srv", live.threads().get(live.server()));
        assertEquals(List.of("inf"), live.timeouts());
    }

    private static String withConstant(String name, String value) throws IOException {
        String text = Files.readString(FOLDER.resolve("MCIpc_fast.cfg"));
        return text.replaceFirst("(?m)^  " + name + " = .*$", "  " + name + " = " + java.util.regex.Matcher.quoteReplacement(value));
    }

    private static String error(String name, String value) throws IOException {
        String text = withConstant(name, value);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IpcBinding.constants(CfgParser.parse(text, Path.of("bad.cfg"))));
        return e.getMessage();
    }

    @Test
    void aBadConstantIsNamedWithTheFile() throws IOException {
        String spaces = error("ThreadSpaces", "{s9}");
        assertTrue(spaces.startsWith("bad.cfg: ") && spaces.contains("s9") && spaces.contains("ThreadSpaces"), spaces);
        String ops = error("Ops", "{\"send\", \"teleport\"}");
        assertTrue(ops.contains("teleport") && ops.contains("Ops"), ops);
        String timeouts = error("Timeouts", "{\"soon\"}");
        assertTrue(timeouts.contains("Timeouts"), timeouts);
        String server = error("Server", "nobody");
        assertTrue(server.contains("Server"), server);
        String bug = error("Bug", "\"typo\"");
        assertTrue(bug.contains("typo") && bug.contains("reply_any"), bug);
        String words = error("Words", "{\"one\"}");
        assertTrue(words.contains("Words must be a set of numbers"), words);
    }

    @Test
    void aConstantTooLargeForTheModelIsNamedWithItsLine() throws IOException {
        // The cfg parser reads it as a big integer; the binding threw an ArithmeticException from intValueExact.
        String text = withConstant("MaxVersion", "99999999999999999999");
        int line = (int) text.substring(0, text.indexOf("MaxVersion")).lines().count();
        String msg = error("MaxVersion", "99999999999999999999");
        assertTrue(msg.contains("bad.cfg:" + line + ": MaxVersion = 99999999999999999999 is too large"), msg);
        assertTrue(error("Words", "{1, 99999999999999999999}").contains("Words = 99999999999999999999 is too large"));
    }
}
