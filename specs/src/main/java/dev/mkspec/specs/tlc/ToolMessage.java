package dev.mkspec.specs.tlc;

/**
 * One message of TLC's {@code -tool} output: the text between
 * {@code @!@!@STARTMSG code:severity @!@!@} and {@code @!@!@ENDMSG code @!@!@}.
 *
 * @param code TLC's message code (its {@code EC} constants), e.g. 2110 for a violated invariant
 * @param severity 0 none, 1 error, 2 TLC bug, 3 warning, 4 state
 * @param body the text, without the markers and without the trailing line break
 * @param nested whether the message appeared inside another message's text
 */
public record ToolMessage(int code, int severity, String body, boolean nested) {
    public static final int SEVERITY_NONE = 0;
    public static final int SEVERITY_ERROR = 1;
    public static final int SEVERITY_BUG = 2;
    public static final int SEVERITY_WARNING = 3;
    public static final int SEVERITY_STATE = 4;
}
