# Reference results of R graphicalVAR for tests/core/analysis/test_graphicalvar_reference.py.
#
# Usage (from the repository root, with R, graphicalVAR and jsonlite installed):
#   GRAPHICALVAR_SOURCE="github SachaEpskamp/graphicalVAR <commit>" \
#     Rscript tests/core/analysis/reference/graphicalvar_reference.R [SHARED_DIR]
# As run for the stored files: R 4.2.2 and glasso, glmnet, dplyr, qgraph … from Debian 12
# (r-base-core, r-cran-*), graphicalVAR by `R CMD INSTALL` of the GitHub source at the
# commit recorded in each JSON (CRAN is not reachable from the development machines).
# SHARED_DIR (default ../shared) holds datasets/kossakowski2017_esm and
# datasets/bastiaansen2019_many_analysts; those inputs are NOT copied here (no licence to
# redistribute): only the R results, the dataset's name and the SHA-256 of the file.
# Defaults of graphicalVAR are used (gamma 0.5, nLambda 50, lambda_min_kappa =
# lambda_min_beta = 0.05, scale = TRUE, deleteMissings = TRUE, ebic_tol 1e-4), with
# within-day lags through dayvar/beepvar.
suppressPackageStartupMessages({
  library(graphicalVAR)
  library(jsonlite)
})

args <- commandArgs(trailingOnly = TRUE)
shared <- if (length(args) >= 1) args[[1]] else "../shared"
here <- "tests/core/analysis/reference"

sha256 <- function(path) {
  strsplit(system2("sha256sum", shQuote(path), stdout = TRUE), " ")[[1]][[1]]
}

mat <- function(m) unname(lapply(seq_len(nrow(m)), function(i) unname(as.numeric(m[i, ]))))

run <- function(name, data, vars, dayvar, beepvar, call_text, input) {
  fit <- graphicalVAR(data, vars = vars, dayvar = dayvar, beepvar = beepvar,
                      gamma = 0.5, nLambda = 50, verbose = FALSE)
  # The chosen pair, found as graphicalVAR does (ebic_tol, then lowest kappa, then beta).
  path <- fit$path
  near <- path$id[abs(path$ebic - min(path$ebic)) < 1e-4]
  low_kappa <- near[path$kappa[near] == min(path$kappa[near])]
  pick <- low_kappa[path$beta[low_kappa] == min(path$beta[low_kappa])]
  stopifnot(isTRUE(all.equal(fit$EBIC, path$ebic[pick])))
  out <- c(input, list(
    name = name,
    vars = vars,
    r_call = call_text,
    r_version = R.version.string,
    graphicalvar_version = as.character(packageVersion("graphicalVAR")),
    graphicalvar_source = Sys.getenv("GRAPHICALVAR_SOURCE", "not recorded"),
    dplyr_version = as.character(packageVersion("dplyr")),
    glasso_version = as.character(packageVersion("glasso")),
    lambda_beta = path$beta[pick],
    lambda_kappa = path$kappa[pick],
    lambda_beta_grid = sort(unique(path$beta), decreasing = TRUE),
    lambda_kappa_grid = sort(unique(path$kappa), decreasing = TRUE),
    ebic = fit$EBIC,
    n_used = fit$N,
    beta = mat(fit$beta),
    kappa = mat(fit$kappa),
    pcc = mat(fit$PCC),
    pdc = mat(fit$PDC)
  ))
  file <- file.path(here, paste0("graphicalvar_", name, ".json"))
  writeLines(toJSON(out, auto_unbox = TRUE, digits = I(17), pretty = TRUE), file)
  message("wrote ", file, ": lambda_beta ", out$lambda_beta, ", lambda_kappa ",
          out$lambda_kappa, ", n ", out$n_used)
}

sim_vars <- c("down", "worry", "tired", "pain", "active", "cheerful")
for (beeps in c(100, 1400)) {
  csv <- file.path(here, sprintf("simulated_var1_%d.csv", beeps))
  data <- read.csv(csv)
  run(sprintf("simulated_var1_%d", beeps), data, sim_vars, "day", "beep",
      sprintf(paste0("graphicalVAR(read.csv(\"%s\"), vars = c(%s), dayvar = \"day\", ",
                     "beepvar = \"beep\", gamma = 0.5, nLambda = 50, verbose = FALSE)"),
              basename(csv), paste0("\"", sim_vars, "\"", collapse = ", ")),
      list(input_file = basename(csv), input_sha256 = sha256(csv)))
}

esm <- file.path(shared, "datasets/kossakowski2017_esm/esm_symptom_data.csv")
if (file.exists(esm)) {
  vars <- c("mood_cheerf", "mood_down", "mood_relaxed", "pat_worry", "phy_tired", "phy_pain")
  data <- read.csv(esm)
  run("kossakowski2017_esm", data, vars, "dayno", "beepno",
      sprintf(paste0("graphicalVAR(read.csv(\"esm_symptom_data.csv\"), vars = c(%s), ",
                     "dayvar = \"dayno\", beepvar = \"beepno\", gamma = 0.5, nLambda = 50, ",
                     "verbose = FALSE)"), paste0("\"", vars, "\"", collapse = ", ")),
      list(dataset = "kossakowski2017_esm/esm_symptom_data.csv", input_sha256 = sha256(esm)))
}

many <- file.path(shared, "datasets/bastiaansen2019_many_analysts/manyAnalystsESM.csv")
if (file.exists(many)) {
  vars <- c("down", "worried", "fatigue", "hopeless", "ruminate", "tension")
  data <- read.csv(many)
  # Day = the date of `start`; beep = the row's number within that day, counted before
  # unanswered beeps are dropped (they stay in as rows with NA, as graphicalVAR expects).
  data$day <- sub(" .*", "", data$start)
  data$beep <- ave(seq_len(nrow(data)), data$day, FUN = seq_along)
  run("bastiaansen2019_many_analysts", data, vars, "day", "beep",
      sprintf(paste0("d <- read.csv(\"manyAnalystsESM.csv\"); d$day <- sub(\" .*\", \"\", d$start); ",
                     "d$beep <- ave(seq_len(nrow(d)), d$day, FUN = seq_along); ",
                     "graphicalVAR(d, vars = c(%s), dayvar = \"day\", beepvar = \"beep\", ",
                     "gamma = 0.5, nLambda = 50, verbose = FALSE)"),
              paste0("\"", vars, "\"", collapse = ", ")),
      list(dataset = "bastiaansen2019_many_analysts/manyAnalystsESM.csv",
           input_sha256 = sha256(many)))
}
