/**
 * Chat across machines: the NATS backplane. {@link dev.jepoll.cluster.NatsBackplaneProvider} is
 * the service the server finds for {@code --backplane}; {@code NatsBackplane} holds the one
 * connection; {@code Outbox} takes this node's lines out without ever blocking a loop;
 * {@code Frame} and {@code Sequences} number lines so that gaps and duplicates are counted;
 * {@code Backoff} spaces reconnect attempts. Guarantees and outage behaviour: docs/cluster.md.
 */
package dev.jepoll.cluster;
