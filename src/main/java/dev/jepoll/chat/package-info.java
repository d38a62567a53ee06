/**
 * The chapter's chat server as a {@link dev.jepoll.reactor.Protocol}: every line goes to
 * every member.
 * <ul>
 * <li>{@code ChatProtocol} makes a {@code LocalRoom} per loop and a {@code Member} per
 *     connection; {@code LineFramer} frames lines on {@code \n}.
 * <li>A wakeup's lines are appended to one {@code Block} of pooled direct memory
 *     ({@code BlockPool}, {@code LineLog}); each member gets one read-only view per wakeup
 *     ({@code Delivery}), and each other loop one hand-over ({@code PeerDelivery}).
 * <li>Flow control: {@code RoomFlow} counts the members behind, room-wide; a loop's lines in
 *     flight to its peers are bounded by a window; only a member that stops reading is cut.
 *     {@code docs/internals.md} explains it.
 * </ul>
 */
package dev.jepoll.chat;
