"""N = 1 analysis in the web: change per patient, not-on-track signals and the personal
network beside the vicious circle (issue 15). The statistics are in
:mod:`maatwerk.core.analysis`; this app stores EMA imports and estimated networks."""
