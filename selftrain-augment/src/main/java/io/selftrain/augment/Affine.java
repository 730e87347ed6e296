package io.selftrain.augment;

/**
 * A 2-D affine map in continuous pixel coordinates (pixel (x, y) covers [x, x+1) x [y, y+1), so its
 * centre is (x + 0.5, y + 0.5)): {@code u' = a u + b v + c, v' = d u + e v + f}. Geometric ops are
 * stored as the map from output to input coordinates, the form a resampler needs; boxes use its
 * inverse.
 */
final class Affine {
  static final Affine IDENTITY = new Affine(1, 0, 0, 0, 1, 0);

  final double a;
  final double b;
  final double c;
  final double d;
  final double e;
  final double f;

  Affine(double a, double b, double c, double d, double e, double f) {
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
    this.e = e;
    this.f = f;
  }

  /**
   * Converts a TF projective transform {@code [a0, a1, a2, b0, b1, b2, 0, 0]} (output pixel index
   * to input pixel index) into continuous coordinates.
   */
  static Affine fromIndexTransform(
      double a0, double a1, double a2, double b0, double b1, double b2) {
    // u_in - 0.5 = a0 (u - 0.5) + a1 (v - 0.5) + a2
    return new Affine(a0, a1, a2 + 0.5 - 0.5 * (a0 + a1), b0, b1, b2 + 0.5 - 0.5 * (b0 + b1));
  }

  /**
   * @return the map {@code p -> this(inner(p))}
   */
  Affine after(Affine inner) {
    return new Affine(
        a * inner.a + b * inner.d,
        a * inner.b + b * inner.e,
        a * inner.c + b * inner.f + c,
        d * inner.a + e * inner.d,
        d * inner.b + e * inner.e,
        d * inner.c + e * inner.f + f);
  }

  Affine inverse() {
    double det = a * e - b * d;
    return new Affine(
        e / det, -b / det, (b * f - c * e) / det, -d / det, a / det, (c * d - a * f) / det);
  }

  double u(double u, double v) {
    return a * u + b * v + c;
  }

  double v(double u, double v) {
    return d * u + e * v + f;
  }

  boolean isIdentity() {
    return a == 1 && b == 0 && c == 0 && d == 0 && e == 1 && f == 0;
  }
}
