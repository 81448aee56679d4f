// MSBuild task (compiled by RoslynCodeTaskFactory against netstandard2.0, see Directory.Build.targets).
//
// TorchSharp 0.107's libLibTorchSharp.so was linked against GCC 13's libstdc++ and so declares that it needs the
// version GLIBCXX_3.4.32. The only symbol it wants from that version is std::ios_base_library_init, a marker that
// GCC 13 emits into every object that includes <iostream> and that is never called. Debian 12 and Ubuntu 22.04 ship
// an older libstdc++ without that version, so the dynamic loader refuses the whole library and TorchSharp reports
// the misleading "doesn't contain a reference to libtorch-cpu-linux-x64".
//
// This task writes a copy of the library in which that one version requirement carries VER_FLG_WEAK
// (ELF gABI, .gnu.version_r vernaux entry). A weak version requirement that the system lacks is not fatal to the
// loader; every other requirement is left exactly as it was. The task is idempotent and never writes the input.
using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public class ElfWeakVersionNeed : Task
{
    const byte VerFlgWeak = 0x2;
    const uint ShtGnuVerneed = 0x6ffffffe;

    [Required] public string Source { get; set; } = "";
    [Required] public string Destination { get; set; } = "";
    [Required] public string VersionName { get; set; } = "";

    public override bool Execute()
    {
        try
        {
            byte[] elf = File.ReadAllBytes(Source);
            int patched = MarkWeak(elf, VersionName);
            Directory.CreateDirectory(Path.GetDirectoryName(Destination)!);
            string temp = Destination + ".tmp";
            File.WriteAllBytes(temp, elf);
            if (File.Exists(Destination)) File.Delete(Destination);   // netstandard2.0 has no Move(overwrite)
            File.Move(temp, Destination);
            Log.LogMessage(MessageImportance.Normal,
                $"ElfWeakVersionNeed: {Source} -> {Destination}: {patched} requirement(s) of {VersionName} marked weak");
            return true;
        }
        catch (InvalidDataException e)
        {
            Log.LogError($"ElfWeakVersionNeed: {Source}: {e.Message}");
            return false;
        }
    }

    /// <summary>Sets VER_FLG_WEAK on every vernaux entry named <paramref name="version"/>; returns how many matched.</summary>
    static int MarkWeak(byte[] elf, string version)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("only 64-bit little-endian ELF is supported");

        ulong shoff = U64(elf, 0x28);
        int shentsize = U16(elf, 0x3a), shnum = U16(elf, 0x3c);
        for (int i = 0; i < shnum; i++)
        {
            int sh = checked((int)shoff + i * shentsize);
            if (U32(elf, sh + 4) != ShtGnuVerneed) continue;
            int offset = checked((int)U64(elf, sh + 0x18));
            int count = (int)U32(elf, sh + 0x2c);                 // sh_info: number of Verneed entries
            int link = (int)U32(elf, sh + 0x28);                  // sh_link: the string table (.dynstr)
            int strtab = checked((int)U64(elf, checked((int)shoff + link * shentsize) + 0x18));
            return MarkInVerneed(elf, offset, count, strtab, version);
        }
        throw new InvalidDataException("no .gnu.version_r section");
    }

    static int MarkInVerneed(byte[] elf, int verneed, int count, int strtab, string version)
    {
        int matched = 0;
        for (int n = 0; n < count; n++)
        {
            int auxCount = U16(elf, verneed + 2);
            int aux = verneed + (int)U32(elf, verneed + 8);
            for (int a = 0; a < auxCount; a++)
            {
                if (CString(elf, strtab + (int)U32(elf, aux + 8)) == version)
                {
                    elf[aux + 4] |= VerFlgWeak;                    // vna_flags, little-endian low byte
                    matched++;
                }
                aux += (int)U32(elf, aux + 12);
            }
            verneed += (int)U32(elf, verneed + 12);
        }
        return matched;
    }

    static ushort U16(byte[] b, int o) => (ushort)(b[o] | b[o + 1] << 8);
    static uint U32(byte[] b, int o) => (uint)U16(b, o) | (uint)U16(b, o + 2) << 16;
    static ulong U64(byte[] b, int o) => U32(b, o) | (ulong)U32(b, o + 4) << 32;

    static string CString(byte[] b, int o)
    {
        int end = Array.IndexOf(b, (byte)0, o);
        return Encoding.ASCII.GetString(b, o, end - o);
    }
}
