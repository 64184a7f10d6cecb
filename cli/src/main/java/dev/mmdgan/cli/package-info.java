/**
 * The {@code mmdgan} command line: one picocli command class per sub-command. Every command prints a
 * human-readable summary, or with {@code --json} exactly one JSON object. Bad input ends with a one-line
 * message and exit code 2 ({@link dev.mmdgan.cli.CliErrors}).
 */
package dev.mmdgan.cli;
