using TorchSharp;
Console.WriteLine($"cuda: {torch.cuda.is_available()}");
using var a = torch.ones(3, 3);
Console.WriteLine(a.sum().item<float>());
