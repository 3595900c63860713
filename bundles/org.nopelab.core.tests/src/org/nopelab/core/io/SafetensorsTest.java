package org.nopelab.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nopelab.core.model.Tensor;

class SafetensorsTest {
    @TempDir
    Path tmp;

    @Test
    void byteLayoutFollowsTheFormat() throws IOException {
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("a", new Tensor(new long[] {2}, new float[] {1.5f, -2f}));
        t.put("b", new Tensor(new long[] {1, 1}, new float[] {3f}));
        Path f = tmp.resolve("x.safetensors");
        Safetensors.write(f, t, Map.of());
        byte[] bytes = Files.readAllBytes(f);
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long n = buf.getLong();
        assertEquals(0, n % 8, "data starts 8-byte aligned");
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8).trim();
        assertEquals("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[1,1],\"data_offsets\":[8,12]}}", header);
        assertEquals(8 + n + 12, bytes.length);
        buf.position((int) (8 + n));
        assertEquals(1.5f, buf.getFloat());
        assertEquals(-2f, buf.getFloat());
        assertEquals(3f, buf.getFloat());
    }

    @Test
    void roundTripKeepsTensorsAndMetadata() throws IOException {
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("w", new Tensor(new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}));
        Path f = tmp.resolve("y.safetensors");
        Safetensors.write(f, t, Map.of("k", "v"));
        Safetensors.Contents c = Safetensors.read(f);
        assertArrayEquals(new long[] {2, 3}, c.tensors().get("w").shape());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, c.tensors().get("w").data());
        assertEquals("v", c.metadata().get("k"));
    }

    @Test
    void garbageIsRejectedWithAMessage() throws IOException {
        Path f = tmp.resolve("z.safetensors");
        Files.write(f, new byte[] {1, 2, 3});
        IOException e = assertThrows(IOException.class, () -> Safetensors.read(f));
        assertEquals(f + " is not a safetensors file: 3 bytes, too short for a header", e.getMessage());
    }

    /** A one-tensor file whose header is the given JSON (padded), followed by dataBytes bytes of data. */
    private Path withHeader(String header, int dataBytes) throws IOException {
        byte[] json = header.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + json.length + dataBytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putLong(json.length).put(json);
        Path f = tmp.resolve("h" + header.hashCode() + ".safetensors");
        Files.write(f, b.array());
        return f;
    }

    private void refused(String header, int dataBytes, String says) throws IOException {
        Path f = withHeader(header, dataBytes);
        IOException e = assertThrows(IOException.class, () -> Safetensors.read(f), header);
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains(says), e.getMessage());
    }

    /** Each damaged header of the corrupt-file campaign gets a message naming the tensor and what is wrong. */
    @Test
    void damagedHeadersNameTheTensorAndTheFault() throws IOException {
        refused("{\"w\":{\"dtype\":\"F32\",\"shape\":[-2,3],\"data_offsets\":[0,24]}}", 24, "tensor 'w' has shape [-2,3]");
        refused("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,24]}}", 24, "tensor 'w' has no shape");
        refused("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,3]}}", 24, "tensor 'w' has no data_offsets");
        refused("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[24,0]}}", 24, "reversed or negative");
        refused("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]}}", 12, "ends at byte 24 of the data, which has only 12 bytes");
        refused("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,4],\"data_offsets\":[0,24]}}", 24, "needs 32 bytes, its offsets give 24");
        refused("{\"w\":{\"dtype\":\"F16\",\"shape\":[2,3],\"data_offsets\":[0,12]}}", 12, "tensor 'w' is F16; only F32 is supported");
        refused("{\"w\":", 0, "its header is not JSON");
        refused("[1,2]", 0, "its header is not a JSON object");
        refused("{\"w\":{\"dtype\":\"F32\",\"shape\":[100000,100000,100000],\"data_offsets\":[0,24]}}", 24, "more than 2^31 values");
    }

    /** The same tensors and metadata give the same bytes, whatever order the maps were filled in. */
    @Test
    void identicalContentGivesIdenticalBytes() throws IOException {
        var t1 = new java.util.LinkedHashMap<String, Tensor>();
        t1.put("b", new Tensor(new long[] {2}, new float[] {1, 2}));
        t1.put("a", new Tensor(new long[] {1}, new float[] {3}));
        var t2 = new java.util.LinkedHashMap<String, Tensor>();
        t2.put("a", t1.get("a"));
        t2.put("b", t1.get("b"));
        var m1 = new java.util.LinkedHashMap<String, String>();
        m1.put("y", "1");
        m1.put("x", "2");
        Path f1 = tmp.resolve("1.safetensors"), f2 = tmp.resolve("2.safetensors");
        Safetensors.write(f1, t1, m1);
        Safetensors.write(f2, t2, java.util.Map.of("x", "2", "y", "1"));
        assertArrayEquals(Files.readAllBytes(f1), Files.readAllBytes(f2));
    }
}
