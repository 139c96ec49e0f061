#!/usr/bin/Rscript
# ranger on a data set written by `forest_bench --dump=DIR --set=NAME`: 100 trees, ranger's
# defaults for classification (mtry = floor(sqrt(p)), min.node.size = 1, bootstrap), 2 threads.
#   Rscript tools/bench_forest_ranger.R DIR [threads]
suppressPackageStartupMessages(library(ranger))
args <- commandArgs(trailingOnly = TRUE)
dir <- args[1]
threads <- if (length(args) > 1) as.integer(args[2]) else 2L
meta <- scan(file.path(dir, "meta.txt"), quiet = TRUE)
n_train <- meta[1]; p <- meta[2]; n_test <- meta[3]
read_f32 <- function(name, n) {
  con <- file(file.path(dir, name), "rb"); on.exit(close(con))
  readBin(con, "numeric", n = n, size = 4)
}
read_i32 <- function(name, n) {
  con <- file(file.path(dir, name), "rb"); on.exit(close(con))
  readBin(con, "integer", n = n, size = 4)
}
# The files are row-major: fill by row.
x_train <- matrix(read_f32("x_train.f32", n_train * p), nrow = n_train, ncol = p, byrow = TRUE)
x_test <- matrix(read_f32("x_test.f32", n_test * p), nrow = n_test, ncol = p, byrow = TRUE)
colnames(x_train) <- colnames(x_test) <- paste0("x", seq_len(p))
y_train <- factor(read_i32("y_train.i32", n_train))
y_test <- read_i32("y_test.i32", n_test)
cpu <- function() { p <- proc.time(); p[["user.self"]] + p[["sys.self"]] }  # the process, all threads
t0 <- Sys.time(); c0 <- cpu()
model <- ranger(x = x_train, y = y_train, num.trees = 100, num.threads = threads, seed = 1)
t1 <- Sys.time(); c1 <- cpu()
pred <- predict(model, data = x_test, num.threads = threads)$predictions
t2 <- Sys.time(); c2 <- cpu()
acc <- mean(as.integer(as.character(pred)) == y_test)
cat(sprintf("ranger %s train_s %.3f predict_s %.3f train_cpu_s %.3f predict_cpu_s %.3f accuracy %.4f\n", basename(dir),
            as.numeric(t1 - t0, units = "secs"), as.numeric(t2 - t1, units = "secs"), c1 - c0, c2 - c1, acc))
