package dev.mkspec.refinement;

import dev.mkspec.check.StateMachine;
import dev.mkspec.model.addressspaces.AddressSpacesConstants;
import dev.mkspec.model.ipc.IpcBug;
import dev.mkspec.model.ipc.IpcConstants;
import dev.mkspec.model.ipc.IpcModel;
import dev.mkspec.model.ipc.IpcState;
import dev.mkspec.specs.tla.CfgFile;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * Builds the IPC model from the constants of an {@code Ipc} cfg: the address-space constants
 * (Sigma0, Spaces, NPages, Perms, FpageOrder, NoMapping), Threads, ThreadSpaces, MaxVersion, Words,
 * Timeouts, Ops, Bits, Server, RingSize, NRequests, the model values NoThread, Any, NoMsg, NoItem
 * and NoWindow, and Bug. The cfg's temporal property (IPC-6) stays with TLC.
 */
public final class IpcBinding implements ModelBinding<IpcState> {
    @Override
    public String name() {
        return "Ipc";
    }

    @Override
    public String description() {
        return "synchronous IPC, notification and batching, with map items (specs/tla/Ipc)";
    }

    @Override
    public StateMachine<IpcState> fromConfig(CfgFile cfg) {
        return new IpcModel(constants(cfg));
    }

    /** The model's constants from the cfg. */
    public static IpcConstants constants(CfgFile cfg) {
        String where = cfg.path() == null ? "the cfg" : cfg.path().toString();
        try {
            AddressSpacesConstants spaces = AddressSpacesBinding.spaceConstants(cfg);
            List<String> threads = Cfg.modelValues(cfg, "Threads");
            List<Integer> threadSpaces = new ArrayList<>();
            for (String s : Cfg.modelValues(cfg, "ThreadSpaces")) {
                int i = s.equals(spaces.sigma0()) ? 0 : spaces.spaces().indexOf(s) + 1;
                if (i == 0 && !s.equals(spaces.sigma0())) {
                    throw new IllegalArgumentException("ThreadSpaces names " + s + ", which is neither Sigma0 nor in Spaces");
                }
                threadSpaces.add(i);
            }
            String server = Cfg.modelValueName(cfg.constant("Server"), "Server", where);
            String noThread = Cfg.modelValueName(cfg.constant("NoThread"), "NoThread", where);
            int serverIndex = server.equals(noThread) ? -1 : threads.indexOf(server);
            if (serverIndex < 0 && !server.equals(noThread)) {
                throw new IllegalArgumentException("Server must be one of Threads or NoThread, not " + server);
            }
            return new IpcConstants(spaces, threads, threadSpaces, Cfg.integer(cfg, "MaxVersion"),
                    Cfg.integers(cfg, "Words"), Cfg.strings(cfg, "Timeouts"), new HashSet<>(Cfg.strings(cfg, "Ops")),
                    Cfg.integers(cfg, "Bits"), serverIndex, Cfg.integer(cfg, "RingSize"), Cfg.integer(cfg, "NRequests"),
                    noThread, Cfg.modelValueName(cfg.constant("Any"), "Any", where),
                    Cfg.modelValueName(cfg.constant("NoMsg"), "NoMsg", where),
                    Cfg.modelValueName(cfg.constant("NoItem"), "NoItem", where),
                    Cfg.modelValueName(cfg.constant("NoWindow"), "NoWindow", where),
                    IpcBug.fromSpecName(Cfg.string(cfg, "Bug")));
        } catch (IllegalArgumentException e) {
            throw Cfg.located(where, e);
        }
    }
}
