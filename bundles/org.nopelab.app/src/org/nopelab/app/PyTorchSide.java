package org.nopelab.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;

import org.nopelab.core.bench.EngineBenchmark;
import org.nopelab.core.io.Json;

/**
 * The benchmark's PyTorch process (bench/pytorch_bench.py) for one size, kept running while NoPE Lab's runs are timed
 * so that its runs can be taken in turn with ours: one request line per timed run, one JSON line back (the protocol
 * is in the script's docstring). {@link #hello()} holds the first line (version, threads, agreement);
 * {@link #finish()} asks for the last (BLAS, core, peak RSS) and waits for the process to end; close() ends a
 * process that was not finished (an error on our side).
 */
final class PyTorchSide implements EngineBenchmark.Rival, AutoCloseable {
    private final Process process;
    private final BufferedReader in;
    private final Writer requests;
    private final JsonNode hello;

    private PyTorchSide(Process process) throws IOException {
        this.process = process;
        this.in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.requests = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.hello = read();
    }

    static PyTorchSide start(String python, Path script, Path dir, boolean analysisOnly, int threads) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(python, script.toString(), dir.toString(), analysisOnly ? "analysis" : "train");
        EngineBenchmark.pytorchEnvironment(threads).forEach(pb.environment()::put);
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        try {
            return new PyTorchSide(pb.start());
        } catch (IOException e) {
            throw new IllegalArgumentException("the benchmark needs python3 with PyTorch (apt-get install python3-torch libopenblas0-openmp): " + e.getMessage());
        }
    }

    /** torch, threads, agreement. */
    JsonNode hello() {
        return hello;
    }

    /** blas, core, peak_rss_mb: the last line, after which the process exits. */
    JsonNode finish() throws IOException, InterruptedException {
        JsonNode last = request("done");
        requests.close();
        if (process.waitFor() != 0) throw new IllegalArgumentException("the PyTorch side failed (exit " + process.exitValue() + "); see its messages above");
        return last;
    }

    @Override
    public EngineBenchmark.Ms analysis() {
        return timed("analysis");
    }

    @Override
    public EngineBenchmark.Ms train() {
        return timed("train");
    }

    private EngineBenchmark.Ms timed(String kind) {
        try {
            JsonNode r = request(kind);
            return new EngineBenchmark.Ms(r.path("wall").asDouble(Double.NaN), r.path("cpu").asDouble(Double.NaN));
        } catch (IOException e) {
            throw new IllegalArgumentException("the PyTorch side stopped answering: " + e.getMessage());
        }
    }

    private JsonNode request(String line) throws IOException {
        requests.write(line + "\n");
        requests.flush();
        return read();
    }

    private JsonNode read() throws IOException {
        String line = in.readLine();
        if (line == null) {
            int exit;
            try {
                exit = process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exit = -1;
            }
            throw new IllegalArgumentException("the PyTorch side failed (exit " + exit + "); see its messages above");
        }
        return Json.MAPPER.readTree(line);
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
