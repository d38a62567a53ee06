/**
 * The chapter's echo server as a {@link dev.jepoll.reactor.Protocol}: every byte read goes
 * back, written straight from the loop's read buffer; what the socket does not take is queued.
 */
package dev.jepoll.echo;
