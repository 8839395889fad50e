/**
 * The address-space model: L4's map, grant and flush over a mapping database, as the TLA+ spec
 * {@code specs/tla/AddressSpaces/AddressSpaces.tla} states them, operation for operation, so that
 * the explorer's state graph equals TLC's.
 *
 * <p>{@link dev.mkspec.model.addressspaces.AddressSpacesModel} is the state machine;
 * {@link dev.mkspec.model.addressspaces.AddressSpacesState} its immutable state;
 * {@link dev.mkspec.model.addressspaces.MappingDb} the database operations the actions are built
 * from. The spec's header comment is the reference for the semantics.
 */
package dev.mkspec.model.addressspaces;
