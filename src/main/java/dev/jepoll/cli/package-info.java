/**
 * The command line ({@code java -jar jepoll.jar [options] <port>}): {@code Options} parses
 * (every error one line, status 2), {@code Main} starts the server, prints the banner, stats and
 * summary, and stops on SIGTERM or Ctrl+C ({@code Stop}).
 */
package dev.jepoll.cli;
