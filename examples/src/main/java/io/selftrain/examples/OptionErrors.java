package io.selftrain.examples;

import java.util.Map;
import java.util.function.Supplier;

/**
 * Library errors in the command line's words. The library checks every setting once and names it as
 * its API does ({@code learningRate must be positive: -1.0}); a command runs the code that builds a
 * setting through here, so that the error also names the option the user typed ({@code classify:
 * --lr: learningRate must be positive: -1.0}) without the command repeating the library's checks.
 */
final class OptionErrors {
  private OptionErrors() {}

  /**
   * Runs {@code build}; a refused value comes back as an {@link IllegalArgumentException} that
   * starts with {@code command: option: }.
   *
   * @param command the command, such as {@code classify}
   * @param option the option (and its value, where the message leaves it out) that gave the input
   * @param build what builds from that option's value
   * @return what {@code build} returns
   */
  static <T> T about(String command, String option, Supplier<T> build) {
    try {
      return build.get();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new IllegalArgumentException(command + ": " + option + ": " + e.getMessage(), e);
    }
  }

  /**
   * Runs {@code action}, which applies one option; a refused value comes back as an {@link
   * IllegalArgumentException} that starts with {@code command: option: }.
   *
   * @param command the command, such as {@code classify}
   * @param option the option that gave the input
   * @param action what applies that option's value
   */
  static void apply(String command, String option, Runnable action) {
    about(
        command,
        option,
        () -> {
          action.run();
          return option;
        });
  }

  /**
   * Runs {@code build}, which takes several options; an error whose message starts with one of
   * {@code optionBySetting}'s setting names comes back naming that setting's option, any other
   * error as it was.
   *
   * @param command the command, such as {@code classify}
   * @param optionBySetting the option that sets each library setting {@code build} uses
   * @param build what builds from those options' values
   * @return what {@code build} returns
   */
  static <T> T about(String command, Map<String, String> optionBySetting, Supplier<T> build) {
    try {
      return build.get();
    } catch (IllegalArgumentException | IllegalStateException e) {
      String message = String.valueOf(e.getMessage());
      for (Map.Entry<String, String> setting : optionBySetting.entrySet()) {
        if (message.startsWith(setting.getKey() + " ")) {
          throw new IllegalArgumentException(
              command + ": " + setting.getValue() + ": " + message, e);
        }
      }
      throw e;
    }
  }
}
