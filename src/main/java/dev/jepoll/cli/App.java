package dev.jepoll.cli;

/** The protocols the command line can serve. */
enum App {
    ECHO, CHAT
}
