package io.selftrain.core;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The report's plots, drawn by JFreeChart and embedded as PNG data URIs, so that {@code
 * report.html} needs no network and no other file.
 */
final class ReportCharts {
  static final int WIDTH = 720;
  static final int HEIGHT = 360;

  static {
    // Plots are drawn off screen; a JVM with no display must not try to open one.
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private ReportCharts() {}

  /**
   * A line chart of named series over a shared x axis.
   *
   * @param series each series' (x, y) points, in legend order
   * @return the PNG as a {@code data:image/png;base64,...} URI
   */
  static String lines(
      String title, String xLabel, String yLabel, Map<String, List<double[]>> series) {
    XYSeriesCollection data = new XYSeriesCollection();
    series.forEach(
        (name, points) -> {
          XYSeries s = new XYSeries(name, false, true);
          points.forEach(p -> s.add(p[0], p[1]));
          data.addSeries(s);
        });
    return png(
        ChartFactory.createXYLineChart(
            title, xLabel, yLabel, data, PlotOrientation.VERTICAL, true, false, false));
  }

  /**
   * A grouped bar chart.
   *
   * @param bars the value of each (series, category), series and categories in insertion order
   * @return the PNG as a data URI
   */
  static String bars(
      String title,
      String categoryLabel,
      String valueLabel,
      Map<String, Map<String, Double>> bars) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    bars.forEach(
        (series, values) -> values.forEach((category, v) -> data.addValue(v, series, category)));
    return png(
        ChartFactory.createBarChart(
            title, categoryLabel, valueLabel, data, PlotOrientation.VERTICAL, true, false, false));
  }

  private static String png(JFreeChart chart) {
    chart.setBackgroundPaint(Color.WHITE);
    return dataUri(chart.createBufferedImage(WIDTH, HEIGHT));
  }

  /**
   * A picture as a {@code data:image/png;base64,...} URI: the report's one way of embedding an
   * image (plots here, pseudo-label pictures in {@link PseudoLabelPictures}).
   */
  static String dataUri(BufferedImage picture) {
    try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      ImageIO.write(picture, "png", out);
      return "data:image/png;base64," + Base64.getEncoder().encodeToString(out.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode a report image as PNG", e);
    }
  }
}
