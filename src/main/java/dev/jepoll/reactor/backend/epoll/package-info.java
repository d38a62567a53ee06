/**
 * Internal: epoll called directly through {@code java.lang.foreign}, where edge-triggered mode
 * registers a real {@code EPOLLET}. The package spans both source roots:
 * <ul>
 * <li>{@code src/main/java} (Java 17, unit-tested on any JDK): its rules, kept free of foreign
 *     calls. {@code InterestBatch} (interest changes noted during a wakeup and applied once,
 *     only where the kernel's mask changes, and re-armed under {@code EPOLLET}),
 *     {@code RetryingWait} ({@code EINTR} waited out with the time left),
 *     {@code EpollEventLayout} (the {@code struct epoll_event} of x86_64 and aarch64), and
 *     {@code NativeSupport} (whether this JVM can run it, and loading it by name).
 * <li>{@code src/main/java22} (compiled with {@code release 22} into the jar's
 *     {@code META-INF/versions/22}): {@code LibC} (the downcall handles, {@code errno}),
 *     {@code NativeBackend}, {@code NativePoller} (an epoll instance and an eventfd per loop),
 *     {@code NativeListener}, {@code NativeEndpoint}, {@code NativeIo} (reads and gathering
 *     writes from an arena per loop) and {@code Sockaddr}.
 * </ul>
 * On Java 17 the Java 22 classes are invisible; {@code NativeSupport} says so in one line.
 */
package dev.jepoll.reactor.backend.epoll;
