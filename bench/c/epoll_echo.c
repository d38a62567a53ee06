/*
 * epoll_echo: the benchmark's C reference, a single-threaded echo server on epoll,
 * edge-triggered, written the way a tuned server would be.
 *
 *   epoll_echo <port>      port 0 picks a free one; listens on 127.0.0.1 only
 *
 * Prints "epoll_echo ready on 127.0.0.1:PORT" once it accepts, serves until SIGTERM or
 * SIGINT, then closes everything, prints a "summary:" line and exits 0.
 *
 * Per connection: read until EAGAIN, echo each chunk at once; a short write keeps the rest
 * as pending bytes, turns on EPOLLOUT and stops reading that client until they are gone
 * (backpressure: a client that sends but never reads cannot make us buffer without limit).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_EVENTS 1024
#define CONN_BUFFER (64 * 1024)

/* The epoll tag of the two fds that are not connections. */
#define TAG_LISTENER ((void *)1)
#define TAG_SIGNALS  ((void *)2)

struct conn {
    int fd;
    size_t pending_off;    /* buf[pending_off, pending_len) is still to be written */
    size_t pending_len;
    struct conn *prev, *next;  /* all open connections, to close them on shutdown */
    char buf[CONN_BUFFER];
};

static int epfd;
static struct conn *open_conns;
static unsigned long long accepted, closed, bytes_echoed, short_writes;

static void die(const char *what) {
    perror(what);
    exit(1);
}

static int set_events(struct conn *c, uint32_t events) {
    struct epoll_event ev = {.events = events | EPOLLET, .data.ptr = c};
    return epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev);
}

static void close_conn(struct conn *c) {
    close(c->fd); /* also removes it from the epoll set */
    if (c->prev) c->prev->next = c->next; else open_conns = c->next;
    if (c->next) c->next->prev = c->prev;
    free(c);
    closed++;
}

/* Writes the pending bytes. Returns 1 when all are gone, 0 on EAGAIN, -1 on error. */
static int flush_pending(struct conn *c) {
    while (c->pending_off < c->pending_len) {
        ssize_t n = send(c->fd, c->buf + c->pending_off, c->pending_len - c->pending_off, MSG_NOSIGNAL);
        if (n > 0) {
            c->pending_off += (size_t)n;
            bytes_echoed += (unsigned long long)n;
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && errno == EAGAIN) {
            return 0;
        } else {
            return -1;
        }
    }
    c->pending_off = c->pending_len = 0;
    return 1;
}

/* Reads until EAGAIN (edge-triggered: no new event comes for data already there), echoing
 * each chunk. Returns -1 when the connection must be closed. */
static int echo_until_eagain(struct conn *c) {
    for (;;) {
        ssize_t n = recv(c->fd, c->buf, sizeof c->buf, 0);
        if (n == 0) return -1;           /* orderly close by the client */
        if (n < 0) {
            if (errno == EINTR) continue;
            return errno == EAGAIN ? 0 : -1;
        }
        c->pending_off = 0;
        c->pending_len = (size_t)n;
        int flushed = flush_pending(c);
        if (flushed < 0) return -1;
        if (flushed == 0) {
            /* The socket's send buffer is full: wait for EPOLLOUT, read nothing more. */
            short_writes++;
            return set_events(c, EPOLLIN | EPOLLOUT);
        }
    }
}

static void on_conn_event(struct conn *c, uint32_t events) {
    if (events & (EPOLLERR | EPOLLHUP)) {
        close_conn(c);
        return;
    }
    if (c->pending_len > 0) {
        /* Only EPOLLOUT can help here; an EPOLLIN edge meanwhile is picked up below. */
        int flushed = flush_pending(c);
        if (flushed < 0) { close_conn(c); return; }
        if (flushed == 0) return;
        if (set_events(c, EPOLLIN) < 0) { close_conn(c); return; }
    }
    /* Pending is gone: read again, including anything that arrived while we were not reading. */
    if (echo_until_eagain(c) < 0) close_conn(c);
}

static void accept_until_eagain(int listener) {
    for (;;) {
        int fd = accept4(listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED) continue;
            if (errno != EAGAIN) perror("accept4");  /* e.g. EMFILE: retry on the next edge */
            return;
        }
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        struct conn *c = malloc(sizeof *c);
        if (!c) { close(fd); continue; }
        c->fd = fd;
        c->pending_off = c->pending_len = 0;
        c->prev = NULL;
        c->next = open_conns;
        if (open_conns) open_conns->prev = c;
        open_conns = c;
        accepted++;
        struct epoll_event ev = {.events = EPOLLIN | EPOLLET, .data.ptr = c};
        if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0) { perror("epoll_ctl"); close_conn(c); }
    }
}

static int listen_on_loopback(int port) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) die("socket");
    int one = 1;
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0) die("setsockopt SO_REUSEADDR");
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                               .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0) die("bind");
    if (listen(fd, 1024) < 0) die("listen");
    return fd;
}

int main(int argc, char **argv) {
    char *end;
    long port = argc == 2 ? strtol(argv[1], &end, 10) : -1;
    if (argc != 2 || *end != '\0' || port < 0 || port > 65535) {
        fprintf(stderr, "usage: %s <port>   (0 picks a free one)\n", argv[0]);
        return 2;
    }

    /* Signals arrive as readable events on a signalfd: no race with epoll_wait. */
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    if (sigprocmask(SIG_BLOCK, &stop_signals, NULL) < 0) die("sigprocmask");
    int sigfd = signalfd(-1, &stop_signals, SFD_NONBLOCK | SFD_CLOEXEC);
    if (sigfd < 0) die("signalfd");

    int listener = listen_on_loopback((int)port);
    epfd = epoll_create1(EPOLL_CLOEXEC);
    if (epfd < 0) die("epoll_create1");
    struct epoll_event ev = {.events = EPOLLIN | EPOLLET, .data.ptr = TAG_LISTENER};
    if (epoll_ctl(epfd, EPOLL_CTL_ADD, listener, &ev) < 0) die("epoll_ctl listener");
    ev = (struct epoll_event){.events = EPOLLIN, .data.ptr = TAG_SIGNALS};
    if (epoll_ctl(epfd, EPOLL_CTL_ADD, sigfd, &ev) < 0) die("epoll_ctl signalfd");

    struct sockaddr_in bound;
    socklen_t bound_len = sizeof bound;
    if (getsockname(listener, (struct sockaddr *)&bound, &bound_len) < 0) die("getsockname");
    printf("epoll_echo ready on 127.0.0.1:%d (edge-triggered, max events %d, buffer %d bytes)\n",
           ntohs(bound.sin_port), MAX_EVENTS, CONN_BUFFER);
    fflush(stdout);

    static struct epoll_event events[MAX_EVENTS];
    int running = 1;
    while (running) {
        int n = epoll_wait(epfd, events, MAX_EVENTS, -1);
        if (n < 0) {
            if (errno == EINTR) continue;
            die("epoll_wait");
        }
        for (int i = 0; i < n; i++) {
            void *tag = events[i].data.ptr;
            if (tag == TAG_LISTENER) accept_until_eagain(listener);
            else if (tag == TAG_SIGNALS) running = 0;
            else on_conn_event(tag, events[i].events);
        }
    }

    while (open_conns) close_conn(open_conns);
    close(listener);
    close(sigfd);
    close(epfd);
    printf("summary: accepted=%llu closed=%llu bytes_echoed=%llu short_writes=%llu\n",
           accepted, closed, bytes_echoed, short_writes);
    return 0;
}
