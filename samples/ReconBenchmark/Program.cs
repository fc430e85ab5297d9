// FedNano reconstruction benchmark: fan-beam FBP of a 512×512 slice from 1152 views × 736 channels (siemens-64) and
// forward projection (2D fan and 3D helical), timed side by side with skimage (iradon / radon) and Debian's ctsim
// (pjrec / phm2pj) on the same machine, and compared with a measured memory-bandwidth bound. Not a test; run it by hand:
//
//   dotnet build -c Release samples/ReconBenchmark
//   dotnet samples/ReconBenchmark/bin/Release/net10.0/FedNano.Samples.ReconBenchmark.dll [--quick] [--markdown PATH]
//
// See README.md for the options and RESULTS.md for how each number is measured.
using FedNano.Samples.ReconBenchmark;

if (args.Length > 0 && args[0] == OurWorker.Flag)
{
    return OurWorker.Run(args[1..]);
}

BenchmarkOptions options;
try
{
    options = BenchmarkOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine("error: " + ex.Message);
    Console.Error.WriteLine(BenchmarkOptions.Usage);
    return 2;
}
if (options.Help)
{
    Console.WriteLine(BenchmarkOptions.Usage);
    return 0;
}
return new Harness(options).Run();
