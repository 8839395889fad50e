package dev.mkspec.specs.mutate;

/**
 * One token of a TLA+ module.
 *
 * @param kind what it is
 * @param text the token's text as written
 * @param start offset of its first character in the module text
 * @param end offset just past its last character
 * @param line 1-based line
 * @param column 1-based column
 */
record Token(Kind kind, String text, int start, int end, int line, int column) {
    enum Kind {
        IDENT, NUMBER, STRING, OPERATOR, OPEN, CLOSE, SEPARATOR, END_MODULE
    }

    boolean is(String s) {
        return text.equals(s);
    }

    boolean isIdent() {
        return kind == Kind.IDENT;
    }

    boolean isOpen() {
        return kind == Kind.OPEN;
    }

    boolean isClose() {
        return kind == Kind.CLOSE;
    }
}
