/**
 * The store contract, one interface per facet of the SPI. Each holds default {@code @Test} methods that
 * run against {@link dev.tern.testsupport.contract.StoreContract#store()}; they are mixed together by
 * {@link dev.tern.testsupport.MessageStoreContract}, which is what an implementation's test extends.
 */
package dev.tern.testsupport.contract;
