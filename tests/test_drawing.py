"""The chart palette stays distinguishable in greyscale and for colour-blind readers."""

import numpy as np

from hæfte import drawing

# Machado, Oliveira & Fernandes (2009), severity 1.0, applied to linear RGB
DEUTERANOPIA = np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]])
PROTANOPIA = np.array([[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]])
TRITANOPIA = np.array([[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]])


def linear(hex_colour: str) -> np.ndarray:
    c = np.array([int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)])
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def luminance(rgb: np.ndarray) -> float:
    return float(np.clip(rgb, 0, 1) @ np.array([0.2126, 0.7152, 0.0722]))


def contrast(a: float, b: float) -> float:
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)


def test_palette_contrast_in_greyscale_and_against_the_page():
    dark, light = luminance(linear(drawing.DARK)), luminance(linear(drawing.LIGHT))
    assert contrast(dark, light) >= 3.0  # the two series differ in lightness, so greyscale keeps them apart
    assert contrast(light, 1.0) >= 3.0 and contrast(dark, 1.0) >= 3.0  # WCAG 1.4.11 against white


def test_palette_survives_colour_blindness():
    for matrix in (DEUTERANOPIA, PROTANOPIA, TRITANOPIA):
        dark = luminance(matrix @ linear(drawing.DARK))
        light = luminance(matrix @ linear(drawing.LIGHT))
        assert contrast(dark, light) >= 2.5
