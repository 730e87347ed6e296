/** Not API: annotations and helpers shared by selftrain's modules; may change without notice. */
package io.selftrain.internal;
