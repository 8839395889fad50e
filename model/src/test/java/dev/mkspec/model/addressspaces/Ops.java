package dev.mkspec.model.addressspaces;

import java.util.List;

/** Operations on the model by space and page numbers, for tests that drive it step by step. */
final class Ops {
    final AddressSpacesModel model;
    final int pages;
    final int userSpaces;

    Ops(AddressSpacesConstants k) {
        this.model = new AddressSpacesModel(k);
        this.pages = k.pages();
        this.userSpaces = k.spaces().size();
    }

    static Ops of(int userSpaces, int pages, int fpageOrder) {
        List<String> names = List.of("s1", "s2", "s3", "s4").subList(0, userSpaces);
        return new Ops(AddressSpacesConstants.of(names, pages, List.of("r", "w", "x"), fpageOrder));
    }

    static int rights(String letters) {
        int r = 0;
        for (char c : letters.toCharArray()) {
            r |= Rights.bit(String.valueOf(c));
        }
        return r;
    }

    AddressSpacesState init() {
        return model.initialStates().get(0);
    }

    int node(int space, int page) {
        return space * pages + page;
    }

    AddressSpacesState map(AddressSpacesState s, int src, int v, int dst, int w, String r) {
        return model.map(s, src, v, dst, w, rights(r));
    }

    AddressSpacesState grant(AddressSpacesState s, int src, int v, int dst, int w, String r) {
        return model.grant(s, src, v, dst, w, rights(r));
    }

    AddressSpacesState flush(AddressSpacesState s, int sp, int v, String r) {
        return model.revoke(s, sp, v, rights(r), true);
    }

    AddressSpacesState unmap(AddressSpacesState s, int sp, int v, String r) {
        return model.revoke(s, sp, v, rights(r), false);
    }

    AddressSpacesState delete(AddressSpacesState s, int sp) {
        return model.delete(s, sp);
    }

    /** Every invariant of the model holds in {@code s}. */
    boolean invariantsHold(AddressSpacesState s) {
        return model.invariants().stream().allMatch(i -> i.holds().test(s));
    }
}
