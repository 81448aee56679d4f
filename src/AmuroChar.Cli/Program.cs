using AmuroChar.Cli.Commands;
using Spectre.Console.Cli;

var app = new CommandApp();
app.Configure(c =>
{
    c.SetApplicationName("amurochar");
    c.PropagateExceptions();
    c.AddCommand<InitCommand>("init").WithDescription("Write a randomly initialised OLMo model as a Hugging Face directory.");
    c.AddCommand<LogprobsCommand>("logprobs").WithDescription("Print per-token log-probabilities of a text under a model, as JSON.");
    c.AddCommand<RougeCommand>("rouge").WithDescription("Score prediction/reference pairs (JSONL) with ROUGE-L as rouge-score computes it.");
});
return CliErrors.Run(() => app.Run(args));
