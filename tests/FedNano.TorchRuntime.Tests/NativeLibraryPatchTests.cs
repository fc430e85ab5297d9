using System.Runtime.InteropServices;
using System.Text;

namespace FedNano.TorchRuntime.Tests;

/// <summary>
/// Checks the output copy of libLibTorchSharp.so carries the patch made by
/// build/TorchSharp.Native.targets, and that the NuGet cache copy was left alone.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class NativeLibraryPatchTests(TorchFixture fixture)
{
    private const string Version = "GLIBCXX_3.4.32";
    private const ushort VerFlgWeak = 0x2;

    [Fact]
    public void Output_copy_marks_GLIBCXX_3_4_32_weak_when_the_host_lacks_it()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
        {
            return;
        }

        Assert.Equal(4f, fixture.ProbeSum); // the patched library did load in this process

        var copies = new[]
        {
            Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so"),
            Path.Combine(AppContext.BaseDirectory, "libLibTorchSharp.so"),
        }.Where(File.Exists).ToList();
        Assert.NotEmpty(copies);

        bool hostLacksVersion = !HostLibStdCxxHas(Version);
        foreach (var path in copies)
        {
            ushort? flags = VernauxFlags(File.ReadAllBytes(path), "libstdc++.so.6", Version);
            Assert.True(flags.HasValue, $"{path} does not require {Version}");
            if (hostLacksVersion)
            {
                Assert.True((flags.Value & VerFlgWeak) != 0, $"{path}: {Version} is not weak");
            }
        }
    }

    [Fact]
    public void Nuget_cache_copy_is_not_modified()
    {
        var root = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var cached = Path.Combine(root, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        if (!File.Exists(cached))
        {
            return;
        }

        ushort? flags = VernauxFlags(File.ReadAllBytes(cached), "libstdc++.so.6", Version);
        Assert.True(flags.HasValue);
        Assert.Equal(0, flags.Value & VerFlgWeak);
    }

    private static bool HostLibStdCxxHas(string version)
    {
        var needle = Encoding.ASCII.GetBytes(version + "\0");
        foreach (var dir in new[] { "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64" })
        {
            var path = Path.Combine(dir, "libstdc++.so.6");
            if (File.Exists(path))
            {
                return File.ReadAllBytes(path).AsSpan().IndexOf(needle) >= 0;
            }
        }

        return false;
    }

    /// <summary>vna_flags of the Vernaux <paramref name="version"/> under Verneed <paramref name="file"/>, or null.</summary>
    private static ushort? VernauxFlags(byte[] elf, string file, string version)
    {
        var d = elf.AsSpan();
        Assert.True(d[..4].SequenceEqual(new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F' }) && d[4] == 2 && d[5] == 1, "not an ELF64 little-endian file");
        ulong shoff = U64(d, 40);
        int shentsize = U16(d, 58), shnum = U16(d, 60);
        for (int i = 0; i < shnum; i++)
        {
            int sh = (int)shoff + i * shentsize;
            if (U32(d, sh + 4) != 0x6ffffffe)
            {
                continue; // not SHT_GNU_verneed
            }

            int off = (int)U64(d, sh + 24);
            int strtab = (int)U64(d, (int)shoff + (int)U32(d, sh + 40) * shentsize + 24);
            for (int vn = off; ; )
            {
                if (Str(d, strtab + (int)U32(d, vn + 4)) == file)
                {
                    for (int va = vn + (int)U32(d, vn + 8), n = 0; n < U16(d, vn + 2); n++)
                    {
                        if (Str(d, strtab + (int)U32(d, va + 8)) == version)
                        {
                            return U16(d, va + 4);
                        }

                        va += (int)U32(d, va + 12);
                    }
                }

                uint next = U32(d, vn + 12);
                if (next == 0)
                {
                    break;
                }

                vn += (int)next;
            }
        }

        return null;
    }

    private static ushort U16(ReadOnlySpan<byte> d, int at) => BitConverter.ToUInt16(d[at..]);

    private static uint U32(ReadOnlySpan<byte> d, int at) => BitConverter.ToUInt32(d[at..]);

    private static ulong U64(ReadOnlySpan<byte> d, int at) => BitConverter.ToUInt64(d[at..]);

    private static string Str(ReadOnlySpan<byte> d, int at) => Encoding.ASCII.GetString(d[at..][..d[at..].IndexOf((byte)0)]);
}
