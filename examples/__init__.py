"""The bundled NewMedia example (SPEC 5), shipped inside the package for `kwm demo`."""
