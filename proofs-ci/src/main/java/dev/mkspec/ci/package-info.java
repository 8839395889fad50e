/**
 * The {@code mkspec} command line: the check plan that runs every TLC configuration, Alloy
 * command and explorer check against its expected verdict, the reports it writes to
 * {@code target/mkspec/}, and the ad-hoc {@code tlc}, {@code alloy}, {@code explore} and
 * {@code bench} commands.
 *
 * <p>Exit codes are those of {@link dev.mkspec.specs.ExitClass}, documented in the README.
 */
package dev.mkspec.ci;
