package io.selftrain.internal;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.immutables.value.Value;

/**
 * The one Immutables style of selftrain's value types: strict builders (a repeated set throws),
 * generated classes hidden behind the abstract type, and no Guava collections in generated code.
 */
@Target({ElementType.PACKAGE, ElementType.TYPE})
@Retention(RetentionPolicy.CLASS)
@Value.Style(
    strictBuilder = true,
    overshadowImplementation = true,
    jdkOnly = true,
    visibility = Value.Style.ImplementationVisibility.PACKAGE)
public @interface ValueStyle {}
