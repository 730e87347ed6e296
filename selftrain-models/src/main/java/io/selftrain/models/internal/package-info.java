/**
 * Not API: layer helpers and the generic model teacher shared by selftrain-models' packages; may
 * change without notice.
 */
package io.selftrain.models.internal;
