/**
 * The segment-table model ({@code specs/tla/Segments}): the VST scheme's global and virtual
 * segment tables, segment registers, far call with lent registers, grant, revocation and deletion
 * across CPUs, the budget against a hostile service, and the asynchronous ring. Action for action
 * as the TLA+ spec has it, so that the explorer's labelled state graph can be compared with TLC's.
 */
package dev.mkspec.model.segments;
