package dev.mkspec.hw;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A CPU as a cost model: primitive costs only, each with its source, plus the geometry of its
 * TLBs and first-level caches and the features a kernel may use (the entry mechanism, global
 * pages, PCIDs, and whether a Meltdown-style page-table isolation may be switched on).
 *
 * <p>Profiles are data files ({@code src/main/resources/dev/mkspec/hw/profiles/NAME.json}, or any
 * file a user names), read by {@link #load}. A profile never holds a total such as "an IPC costs
 * N": totals come from simulating a kernel path against these primitives. Immutable;
 * {@link #with} gives a copy with one primitive changed, which is how tests show that totals move
 * when a primitive moves.
 */
public final class CpuProfile {
    /**
     * Reads profiles strictly: a key twice in one object, or text after the object, is an error
     * rather than something Jackson would silently resolve.
     */
    private static final ObjectReader JSON = new ObjectMapper().reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /** The profiles shipped with mkspec. */
    public static final List<String> BUILT_IN = List.of("i486", "pentium", "haswell", "skylake");

    private final String name;
    private final String description;
    private final double clockMHz;
    private final String clockSource;
    private final PagingMode paging;
    private final EntryMechanism entry;
    private final boolean globalPages;
    private final boolean pcid;
    private final boolean mitigationsAvailable;
    private final String featuresSource;
    private final MmuConfig mmu;
    private final String tlbSource;
    private final CacheConfig l1i;
    private final CacheConfig l1d;
    private final String cacheSource;
    private final Map<Primitive, Cost> costs;
    /** A what-if only ({@link CacheModel#COLD}): measurements empty the caches and TLBs before the measured run. */
    private boolean measuredCold;

    private CpuProfile(String name, String description, double clockMHz, String clockSource, PagingMode paging,
            EntryMechanism entry, boolean globalPages, boolean pcid, boolean mitigationsAvailable, String featuresSource,
            MmuConfig mmu, String tlbSource, CacheConfig l1i, CacheConfig l1d, String cacheSource, Map<Primitive, Cost> costs) {
        this.name = name;
        this.description = description;
        this.clockMHz = clockMHz;
        this.clockSource = clockSource;
        this.paging = paging;
        this.entry = entry;
        this.globalPages = globalPages;
        this.pcid = pcid;
        this.mitigationsAvailable = mitigationsAvailable;
        this.featuresSource = featuresSource;
        this.mmu = mmu;
        this.tlbSource = tlbSource;
        this.l1i = l1i;
        this.l1d = l1d;
        this.cacheSource = cacheSource;
        this.costs = Collections.unmodifiableMap(new EnumMap<>(costs));
    }

    /**
     * Reads a profile: a built-in name ({@link #BUILT_IN}) or the path of a JSON file.
     *
     * @throws IllegalArgumentException naming the file, the field and the fix, when the profile is
     *     missing, malformed, incomplete or inconsistent
     */
    public static CpuProfile load(String nameOrPath) {
        if (BUILT_IN.contains(nameOrPath)) {
            String resource = "/dev/mkspec/hw/profiles/" + nameOrPath + ".json";
            try (InputStream in = CpuProfile.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("the built-in profile " + resource + " is missing from the jar");
                }
                return parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8), resource);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + resource + ": " + e.getMessage(), e);
            }
        }
        Path p = Path.of(nameOrPath);
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException("no CPU profile " + nameOrPath + ": it is neither a built-in profile ("
                    + String.join(", ", BUILT_IN) + ") nor a readable file");
        }
        try {
            return parse(Files.readString(p), p.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the CPU profile " + p + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses a profile from JSON text; {@code where} names it in error messages.
     *
     * @throws IllegalArgumentException and nothing else, for any text that is not a valid profile:
     *     {@code where:line:column: not valid JSON: ...} for a syntax error, and
     *     {@code where: field: what} (e.g. {@code caches.l1d: ...}) for a field that is missing or
     *     wrong
     */
    public static CpuProfile parse(String json, String where) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new IllegalArgumentException(where + ":" + (at == null ? "1:1" : at.getLineNr() + ":" + at.getColumnNr())
                    + ": not valid JSON: " + jacksonWords(e));
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(where + ":1:1: a profile is a JSON object; see "
                    + "hw-model/src/main/resources/dev/mkspec/hw/profiles/i486.json");
        }
        Reader r = new Reader(where);
        String name = r.text(root, "name");
        String description = r.text(root, "description");
        JsonNode clock = r.object(root, "clockMHz");
        double mhz = r.number(clock, "value", "clockMHz");
        if (!(mhz > 0) || Double.isInfinite(mhz)) {
            throw r.error("clockMHz.value", "must be a finite number of MHz above 0, not " + mhz);
        }
        String clockSource = r.text(clock, "source");
        PagingMode paging = r.enumValue(root, "paging", PagingMode.class);
        JsonNode features = r.object(root, "features");
        EntryMechanism entry = r.enumValue(features, "entry", EntryMechanism.class);
        boolean global = r.bool(features, "globalPages");
        boolean pcid = r.bool(features, "pcid");
        boolean mitigations = r.bool(features, "mitigations");
        String featuresSource = r.text(features, "source");
        if (pcid && paging != PagingMode.X86_64) {
            throw r.error("features.pcid", "PCIDs exist only with 64-bit paging; set \"pcid\": false or \"paging\": \"X86_64\"");
        }
        JsonNode tlb = r.object(root, "tlb");
        TlbConfig dtlb = r.tlb(tlb, "dtlb", pcid, true);
        TlbConfig itlb = r.tlb(tlb, "itlb", pcid, false);
        TlbConfig l2 = r.tlb(tlb, "l2", pcid, false);
        String tlbSource = r.text(tlb, "source");
        MmuConfig mmu;
        try {
            mmu = new MmuConfig(paging, itlb, dtlb, l2);
        } catch (IllegalArgumentException e) {
            throw r.error("tlb", e.getMessage());
        }
        JsonNode caches = r.object(root, "caches");
        CacheConfig l1d = r.cache(caches, "l1d", true);
        CacheConfig l1i = r.cache(caches, "l1i", false);
        String cacheSource = r.text(caches, "source");
        JsonNode prims = r.object(root, "primitives");
        Map<Primitive, Cost> costs = new EnumMap<>(Primitive.class);
        for (Iterator<Map.Entry<String, JsonNode>> it = prims.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Primitive p = Primitive.byKey(e.getKey());
            if (p == null) {
                throw r.error("primitives." + e.getKey(), "not a primitive; the primitives are " + keys()
                        + ". A profile holds primitive costs only, never totals");
            }
            JsonNode c = e.getValue();
            if (!c.isObject()) {
                throw r.error("primitives." + e.getKey(), "write {\"value\": cycles, \"source\": \"where the number comes from\"}");
            }
            try {
                costs.put(p, new Cost(p, r.number(c, "value", "primitives." + e.getKey()), r.text(c, "source")));
            } catch (IllegalArgumentException ex) {
                throw r.error("primitives." + e.getKey(), ex.getMessage());
            }
        }
        for (Primitive p : required(entry, l2, paging)) {
            if (!costs.containsKey(p)) {
                throw r.error("primitives." + p.key(), "missing; this profile needs it"
                        + (p == entry.enter() || p == entry.exit() ? " for its entry mechanism " + entry.key() : "")
                        + (p == Primitive.STLB_HIT ? " because it has a second-level TLB" : "")
                        + (p == Primitive.MOV_SEG ? " because a 32-bit kernel's entry and exit load segment registers" : ""));
            }
        }
        Cost pairing = costs.get(Primitive.PAIRING);
        if (pairing != null && pairing.cycles() > 0.5) {
            throw r.error("primitives." + Primitive.PAIRING.key(), "is the share of simple instructions issued in the "
                    + "second pipe beside another, at most 0.5 (every other instruction), not " + pairing.cycles());
        }
        return new CpuProfile(name, description, mhz, clockSource, paging, entry, global, pcid, mitigations,
                featuresSource, mmu, tlbSource, l1i, l1d, cacheSource, costs);
    }

    /** The prices a profile with this entry mechanism, second-level TLB (or null) and paging must give. */
    private static List<Primitive> required(EntryMechanism entry, TlbConfig l2, PagingMode paging) {
        List<Primitive> required = new ArrayList<>(List.of(Primitive.ALU, Primitive.LOAD, Primitive.STORE,
                Primitive.BRANCH, Primitive.MOV_CR3, Primitive.INVLPG, Primitive.COPY_STARTUP, Primitive.COPY_PER_WORD,
                Primitive.WALK_STEP, Primitive.CACHE_MISS, entry.enter(), entry.exit()));
        if (l2 != null) {
            required.add(Primitive.STLB_HIT);
        }
        if (paging == PagingMode.X86_32) {
            required.add(Primitive.MOV_SEG); // a 32-bit kernel's entry and exit reload segment registers
        }
        return required;
    }

    /**
     * Jackson's description of a syntax error without what is meant for programmers: its name for
     * the input ({@code [Source: ...; line: 3, column: 7]} becomes {@code line 3, column 7}) and the
     * names of its settings.
     */
    private static String jacksonWords(JsonProcessingException e) {
        String m = String.valueOf(e.getOriginalMessage());
        if (m.startsWith("Trailing token")) {
            return "there is more text after the end of the profile's object";
        }
        return m.replaceAll("(?s)\\[Source: .*?; line: (\\d+)(?:, column: (\\d+))?\\]", "line $1, column $2")
                .replace(", column )", ")")
                .replaceAll(",? from `[^`]*`", "")
                .replaceAll("\\s*\\(bound as `[^`]*`\\)", "");
    }

    private static String keys() {
        List<String> k = new ArrayList<>();
        for (Primitive p : Primitive.values()) {
            k.add(p.key());
        }
        return String.join(", ", k);
    }

    /** This profile with {@code primitive} priced at {@code cycles} (source "changed by a test or user"). */
    public CpuProfile with(Primitive primitive, double cycles) {
        if (primitive == Primitive.PAIRING && cycles > 0.5) {
            throw new IllegalArgumentException("pairing is a share of at most 0.5 (every other instruction), not " + cycles);
        }
        Map<Primitive, Cost> c = new EnumMap<>(costs);
        c.put(primitive, new Cost(primitive, cycles, "changed from " + (costs.containsKey(primitive)
                ? costs.get(primitive).cycles() : "nothing") + " by a caller of CpuProfile.with"));
        return withCosts(c);
    }

    /** This profile without its pairing share, as if its file did not name it: a CPU that does not pair. */
    public CpuProfile withoutPairing() {
        return without(java.util.Set.of(Primitive.PAIRING));
    }

    /**
     * This profile without the prices of {@code optional}, so that what uses them is priced as if
     * the CPU did not set them apart (the instructions by their class, the stalls at nothing).
     *
     * @throws IllegalArgumentException if one of them is a price this profile must give
     */
    public CpuProfile without(java.util.Collection<Primitive> optional) {
        Map<Primitive, Cost> c = new EnumMap<>(costs);
        List<Primitive> required = required(entry, mmu.l2(), paging);
        for (Primitive p : optional) {
            if (required.contains(p)) {
                throw new IllegalArgumentException(p.key() + " is a price the " + name + " profile must give; "
                        + "a what-if can re-price it (" + p.key() + "=CYCLES) but not remove it");
            }
            c.remove(p);
        }
        return withCosts(c);
    }

    /** This profile with {@code c} for its prices, measured cold if it is. */
    private CpuProfile withCosts(Map<Primitive, Cost> c) {
        return new CpuProfile(name, description, clockMHz, clockSource, paging, entry, globalPages, pcid,
                mitigationsAvailable, featuresSource, mmu, tlbSource, l1i, l1d, cacheSource, c).coldAs(this);
    }

    private CpuProfile coldAs(CpuProfile from) {
        measuredCold = from.measuredCold;
        return this;
    }

    /**
     * This profile with each first-level cache replaced by {@code change} of it ({@code change}
     * receives null for an absent instruction cache and must return null then): the what-if
     * switches of {@link CacheModel}.
     */
    public CpuProfile withCaches(java.util.function.UnaryOperator<CacheConfig> change) {
        return new CpuProfile(name, description, clockMHz, clockSource, paging, entry, globalPages, pcid,
                mitigationsAvailable, featuresSource, mmu, tlbSource, change.apply(l1i), change.apply(l1d),
                cacheSource + " (changed by a what-if switch)", costs).coldAs(this);
    }

    /** This profile, measured with its caches and TLBs emptied before the measured run ({@link CacheModel#COLD}). */
    public CpuProfile measuredCold() {
        CpuProfile p = new CpuProfile(name, description, clockMHz, clockSource, paging, entry, globalPages, pcid,
                mitigationsAvailable, featuresSource, mmu, tlbSource, l1i, l1d, cacheSource, costs);
        p.measuredCold = true;
        return p;
    }

    /** Whether measurements on this profile start cold (a what-if; no profile file says so). */
    public boolean isMeasuredCold() {
        return measuredCold;
    }

    /** The cycles of {@code p}. @throws IllegalStateException if this profile does not price it */
    public double cycles(Primitive p) {
        Cost c = costs.get(p);
        if (c == null) {
            throw new IllegalStateException("the " + name + " profile has no cost for " + p.key()
                    + "; add it under \"primitives\" with its source");
        }
        return c.cycles();
    }

    public boolean prices(Primitive p) {
        return costs.containsKey(p);
    }

    public Map<Primitive, Cost> costs() {
        return costs;
    }

    public String name() {
        return name;
    }

    public String description() {
        return description;
    }

    public double clockMHz() {
        return clockMHz;
    }

    public String clockSource() {
        return clockSource;
    }

    public PagingMode paging() {
        return paging;
    }

    /** Bytes in a machine word: what one step of a string copy moves. */
    public int wordBytes() {
        return paging == PagingMode.X86_64 ? 8 : 4;
    }

    public EntryMechanism entry() {
        return entry;
    }

    /** Whether the CPU has global pages (CR4.PGE), which survive CR3 writes. */
    public boolean globalPages() {
        return globalPages;
    }

    /** Whether the TLBs are tagged with PCIDs. */
    public boolean pcid() {
        return pcid;
    }

    /** Whether a Meltdown-style page-table isolation (KPTI) may be switched on for this CPU. */
    public boolean mitigationsAvailable() {
        return mitigationsAvailable;
    }

    public String featuresSource() {
        return featuresSource;
    }

    public MmuConfig mmu() {
        return mmu;
    }

    public String tlbSource() {
        return tlbSource;
    }

    /** The instruction cache, or null when the first level is unified (held in {@link #l1d}). */
    public CacheConfig l1i() {
        return l1i;
    }

    /** The data (or unified) first-level cache. */
    public CacheConfig l1d() {
        return l1d;
    }

    public String cacheSource() {
        return cacheSource;
    }

    @Override
    public String toString() {
        return name + " (" + description + ")";
    }

    /** Field access with messages that name the file and the field. */
    private static final class Reader {
        private final String where;

        Reader(String where) {
            this.where = where;
        }

        IllegalArgumentException error(String field, String what) {
            return new IllegalArgumentException(where + ": " + field + ": " + what);
        }

        JsonNode object(JsonNode parent, String field) {
            JsonNode n = parent.get(field);
            if (n == null || !n.isObject()) {
                throw error(field, "missing, or not an object");
            }
            return n;
        }

        String text(JsonNode parent, String field) {
            JsonNode n = parent.get(field);
            if (n == null || !n.isTextual() || n.asText().isBlank()) {
                throw error(field, "missing, or not a non-empty string");
            }
            return n.asText();
        }

        double number(JsonNode parent, String field, String context) {
            JsonNode n = parent.get(field);
            if (n == null || !n.isNumber()) {
                throw error(context + "." + field, "missing, or not a number");
            }
            return n.asDouble();
        }

        int integer(JsonNode parent, String field, String context) {
            JsonNode n = parent.get(field);
            if (n == null || !n.isInt() || n.asInt() < 1) {
                throw error(context + "." + field, "missing, or not a positive integer");
            }
            return n.asInt();
        }

        boolean bool(JsonNode parent, String field) {
            JsonNode n = parent.get(field);
            if (n == null || !n.isBoolean()) {
                throw error(field, "missing, or not true/false");
            }
            return n.asBoolean();
        }

        <E extends Enum<E>> E enumValue(JsonNode parent, String field, Class<E> type) {
            String v = text(parent, field);
            for (E e : type.getEnumConstants()) {
                if (e.name().equalsIgnoreCase(v)) {
                    return e;
                }
            }
            List<String> names = new ArrayList<>();
            for (E e : type.getEnumConstants()) {
                names.add(e.name().toLowerCase(java.util.Locale.ROOT));
            }
            throw error(field, "\"" + v + "\" is not one of " + names);
        }

        TlbConfig tlb(JsonNode tlb, String field, boolean tagged, boolean required) {
            JsonNode n = tlb.get(field);
            if (n == null || n.isNull()) {
                if (required) {
                    throw error("tlb." + field, "missing; every CPU has a data (or unified) TLB");
                }
                return null;
            }
            Replacement rep = n.has("replacement") ? enumValue(n, "replacement", Replacement.class) : Replacement.LRU;
            try {
                return TlbConfig.of(field.toUpperCase(java.util.Locale.ROOT), integer(n, "entries", "tlb." + field),
                        integer(n, "ways", "tlb." + field), rep, tagged);
            } catch (IllegalArgumentException e) {
                throw error("tlb." + field, e.getMessage());
            }
        }

        CacheConfig cache(JsonNode caches, String field, boolean required) {
            JsonNode n = caches.get(field);
            if (n == null || n.isNull()) {
                if (required) {
                    throw error("caches." + field, "missing; give the data (or unified) first-level cache");
                }
                return null;
            }
            try {
                return new CacheConfig(field.toUpperCase(java.util.Locale.ROOT), integer(n, "sizeBytes", "caches." + field),
                        integer(n, "ways", "caches." + field), integer(n, "lineBytes", "caches." + field));
            } catch (IllegalArgumentException e) {
                throw error("caches." + field, e.getMessage());
            }
        }
    }
}
