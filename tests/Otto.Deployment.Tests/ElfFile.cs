using System.Buffers.Binary;
using System.Text;

namespace Otto.Deployment.Tests;

/// <summary>What a 64-bit little-endian ELF shared library asks of the system that loads it, read from its section
/// headers: the libraries it links (DT_NEEDED in .dynamic) and the symbol versions it requires of them
/// (.gnu.version_r, e.g. GLIBC_2.28) — what <c>readelf -d</c> and <c>readelf -V</c> show.</summary>
public sealed record ElfFile(IReadOnlyList<string> Needed, IReadOnlyList<string> RequiredVersions)
{
    private const uint Dynamic = 6, VersionNeeds = 0x6ffffffe;
    private const long DtNeeded = 1;

    /// <summary>Reads <paramref name="path"/>.</summary>
    public static ElfFile Read(string path)
    {
        var elf = File.ReadAllBytes(path);
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != 'E' || elf[2] != 'L' || elf[3] != 'F' || elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException($"{path} is not a 64-bit little-endian ELF file");
        var sections = Enumerable.Range(0, U16(elf, 0x3c)).Select(i => Section.At(elf, (int)U64(elf, 0x28) + i * U16(elf, 0x3a))).ToList();
        var needed = new List<string>();
        var versions = new List<string>();
        foreach (var section in sections.Where(s => s.Type == Dynamic))
        {
            var strings = sections[(int)section.Link];
            for (var at = section.Offset; at < section.Offset + section.Size; at += 16)
                if ((long)U64(elf, at) == DtNeeded) needed.Add(String(elf, strings.Offset + (int)U64(elf, at + 8)));
        }
        foreach (var section in sections.Where(s => s.Type == VersionNeeds))
        {
            var strings = sections[(int)section.Link];
            // Elf64_Verneed {version, count, file, aux, next} → Elf64_Vernaux {hash, flags, other, name, next}.
            for (int entry = section.Offset, n = 0; n < section.Info; n++, entry += (int)U32(elf, entry + 12))
            {
                for (int aux = entry + (int)U32(elf, entry + 8), k = 0; k < U16(elf, entry + 2); k++, aux += (int)U32(elf, aux + 12))
                    versions.Add(String(elf, strings.Offset + (int)U32(elf, aux + 8)));
                if (U32(elf, entry + 12) == 0) break;
            }
        }
        return new ElfFile(needed, versions);
    }

    /// <summary>The newest glibc symbol version required (GLIBC_2.34 → 2.34), or null.</summary>
    public Version? NewestGlibc => RequiredVersions.Where(v => v.StartsWith("GLIBC_2", StringComparison.Ordinal))
        .Select(v => Version.Parse(v["GLIBC_".Length..])).DefaultIfEmpty().Max();

    private sealed record Section(uint Type, int Offset, int Size, uint Link, uint Info)
    {
        public static Section At(byte[] elf, int header) =>
            new(U32(elf, header + 4), (int)U64(elf, header + 24), (int)U64(elf, header + 32), U32(elf, header + 40), U32(elf, header + 44));
    }

    private static ushort U16(byte[] b, int at) => BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(at));
    private static uint U32(byte[] b, int at) => BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(at));
    private static ulong U64(byte[] b, int at) => BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(at));
    private static string String(byte[] b, int at) => Encoding.ASCII.GetString(b, at, Array.IndexOf(b, (byte)0, at) - at);
}
