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
        assertEquals(f + " is not a safetensors file: too short", e.getMessage());
    }
}
