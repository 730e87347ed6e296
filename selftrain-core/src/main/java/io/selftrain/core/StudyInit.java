package io.selftrain.core;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the models of a {@link Study} cell start (Zoph et al. 2020, Sec. 4.1 compare random
 * initialisation with supervised ImageNet pre-training): random, the backbone of a classifier the
 * study pre-trains once on its auxiliary dataset, or a user's checkpoint of the whole task model.
 * Teacher and student of a cell start alike.
 */
public final class StudyInit {
  private static final StudyInit RANDOM = new StudyInit("random", null);
  private static final StudyInit PRETRAINED = new StudyInit("pretrained", null);

  private final String name;
  private final Path checkpoint;

  private StudyInit(String name, Path checkpoint) {
    this.name = name;
    this.checkpoint = checkpoint;
  }

  /**
   * @return random initialisation
   */
  public static StudyInit random() {
    return RANDOM;
  }

  /**
   * @return the backbone of the classifier pre-trained (supervised) on the study's auxiliary
   *     dataset
   */
  public static StudyInit pretrained() {
    return PRETRAINED;
  }

  /**
   * A user's parameters for the whole task model ({@link Initialization#checkpoint}).
   *
   * @param file the parameter file
   * @return the initialisation, named {@code checkpoint-<file name>} in tables and folders
   * @throws IllegalArgumentException if the file does not exist
   */
  public static StudyInit checkpoint(Path file) {
    checkNotNull(file, "checkpoint");
    checkArgument(Files.isRegularFile(file), "checkpoint file does not exist: %s", file);
    String base = file.getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_");
    return new StudyInit("checkpoint-" + base, file);
  }

  /**
   * @return the name in tables and folders: {@code random}, {@code pretrained} or {@code
   *     checkpoint-<file>}
   */
  public String name() {
    return name;
  }

  /**
   * @return the checkpoint file, for a checkpoint initialisation
   */
  public Optional<Path> checkpoint() {
    return Optional.ofNullable(checkpoint);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StudyInit other
        && name.equals(other.name)
        && Objects.equals(checkpoint, other.checkpoint);
  }

  @Override
  public int hashCode() {
    return name.hashCode();
  }

  @Override
  public String toString() {
    return name;
  }
}
