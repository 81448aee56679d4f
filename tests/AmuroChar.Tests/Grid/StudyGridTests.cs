using AmuroChar.Model;
using AmuroChar.Findings;
using AmuroChar.Grid;
using AmuroChar.Results;
using AmuroChar.Study;
using Xunit;
using AmuroChar.Running;

namespace AmuroChar.Tests.Grid;

public class StudyGridTests
{
    static GridSpec Spec(string scale = "micro", IReadOnlyList<long>? seeds = null) =>
        new() { Scale = scale, Store = "/nonexistent/store", Seeds = seeds };

    [Fact]
    public void Cells_cover_exactly_what_the_single_process_run_computes()
    {
        // The requirements StudyRunner computes, from real (micro) inputs, against the planner's cells, made without inputs.
        string dir = Directory.CreateTempSubdirectory("amurochar-grid-").FullName;
        try
        {
            var store = new ResultStore(Path.Combine(dir, "store"));
            var m = new Measurements(new AmuroChar.Study.StudyEngine(new TinyInputs(Scale.Micro, 1, store), store));
            var expected = Declaration.RequirementsOf(m, Finding.All(m)).ToHashSet();
            var cells = StudyGrid.Cells(Spec());
            var planned = cells.Stage(GridStage.Evaluate).SelectMany(c => c.Evaluations).ToList();
            Assert.Equal(planned.Count, planned.Distinct().Count());
            Assert.True(expected.SetEquals(planned));
            Assert.True(expected.Select(r => r.Model).Where(x => !x.IsBase).ToHashSet().SetEquals(cells.Stage(GridStage.Finetune).Select(c => c.Model!)));
            Assert.All(cells.Stage(GridStage.Evaluate), c => Assert.All(c.Evaluations, r => Assert.Equal(c.Model, r.Model)));
            Assert.Equal([GridStage.Pretrain, GridStage.Judge], cells.Where(c => c.Stage is GridStage.Pretrain or GridStage.Judge).Select(c => c.Stage));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void Seeds_fan_out_fine_tuning_but_not_instruction_tuning()
    {
        var one = StudyGrid.Cells(Spec()).Stage(GridStage.Finetune);
        var three = StudyGrid.Cells(Spec(seeds: [1, 2, 3])).Stage(GridStage.Finetune);
        int instruct = one.Count(c => c.Model!.FineTunedOn == ModelRef.Instruction);
        Assert.Equal((one.Count - instruct) * 3 + instruct, three.Count);
        Assert.Equal([1L, 2L, 3L], three.Where(c => c.Model!.FineTunedOn == "mnli" && c.Model.Step == 8).Select(c => c.Model!.Seed));
    }

    [Fact]
    public void Paper_plan_needs_no_inputs_and_counts_the_papers_grid()
    {
        var spec = Spec("paper");
        var cells = StudyGrid.Cells(spec);
        // Every fine-tuned checkpoint × (four tasks + instruction tuning), one seed.
        Assert.Equal(GridSpec.PaperCheckpoints.Count * (StudyPlan.FineTuneTasks.Count + 1), cells.Stage(GridStage.Finetune).Count);
        var planner = new GridPlanner(spec, new PlanOptions { ThroughputTflops = 100 });
        string text = PlanReport.Render(spec, planner, cells);
        Assert.Contains("1.18B parameters", text);
        Assert.Contains("precision bf16 mixed (fp32 master)", text);   // what the engine trains in on a GPU
        var job = planner.TrainingJob(Precision.Bf16Mixed, false);
        Assert.Contains(PlanReport.Bytes(job.Total), text);
        // 6,000 examples × 3 epochs × 2,048 tokens per task and checkpoint, Tulu 30,000 × 5.
        var mnli = planner.Cost(cells.First(c => c.Model?.FineTunedOn == "mnli"));
        Assert.Equal(6000.0 * 3 * 2048, mnli.Tokens);
    }

    [Fact]
    public void The_plan_counts_a_sets_shared_demonstrations_once()
    {
        var spec = Spec("paper");
        var cells = StudyGrid.Cells(spec);
        var planner = new GridPlanner(spec, new PlanOptions { EvalItems = 1000 });
        // One 4-shot classification set (no generated tokens): the demonstrations (4/5 of the 2,048-token bound) once,
        // each item's own fifth 1,000 times; whole prompts would be 1,000 × 2,048.
        var cell = cells.Stage(GridStage.Evaluate).First(c => c.Evaluations.Count > 0);
        var one = cell with { Evaluations = [new Requirement(cell.Evaluations[0].Model, "mnli_matched", Shots: 4)] };
        double own = 2048 / 5.0;
        Assert.Equal(2048 - own + 1000 * own, planner.Cost(one).Tokens, 6);
        var (shared, whole) = planner.EvaluationTokens([one]);
        Assert.Equal(1000.0 * 2048, whole, 6);
        Assert.Equal(planner.Cost(one).Tokens, shared, 6);
        // Zero-shot prompts share nothing.
        var zero = one with { Evaluations = [one.Evaluations[0] with { Shots = 0 }] };
        Assert.Equal(1000.0 * 2048, planner.Cost(zero).Tokens, 6);
        Assert.Contains("shared-prefix KV cache", PlanReport.Render(spec, planner, cells));
    }

    [Fact]
    public void Unknown_findings_and_changed_grids_are_refused_by_name()
    {
        var e = Assert.Throws<ArgumentException>(() => StudyGrid.Cells(Spec() with { Findings = ["dichotomy", "nope"] }));
        Assert.Contains("'nope'", e.Message);
        string dir = Directory.CreateTempSubdirectory("amurochar-grid-").FullName;
        try
        {
            var folder = new GridFolder(dir);
            folder.Write(Spec(), StudyGrid.Cells(Spec() with { Findings = ["instruction_tuning"] }));
            var changed = Assert.Throws<InvalidDataException>(() => folder.ReadCells());
            Assert.Contains(folder.GridFile, changed.Message);
            Assert.Throws<InvalidOperationException>(() => folder.Write(Spec("tiny"), StudyGrid.Cells(Spec())));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    /// <summary>Issue 21: <c>"spec": null</c> crashed with a NullReferenceException (exit 134).</summary>
    [Theory]
    [InlineData("""{"spec": null, "cells": {}}""", "\"spec\" is missing or not a JSON object")]
    [InlineData("""{"cells": {}}""", "\"spec\" is missing or not a JSON object")]
    [InlineData("""[1, 2]""", "\"spec\" is missing or not a JSON object")]
    [InlineData("""{"spec": 3}""", "\"spec\" is missing or not a JSON object")]
    public void A_damaged_grid_file_is_an_error_naming_it(string text, string problem)
    {
        string dir = Directory.CreateTempSubdirectory("amurochar-grid-").FullName;
        try
        {
            var folder = new GridFolder(dir);
            File.WriteAllText(folder.GridFile, text);
            var e = Assert.Throws<InvalidDataException>(() => folder.ReadCells());
            Assert.Contains(folder.GridFile, e.Message);
            Assert.Contains(problem, e.Message);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void Cells_that_are_not_an_array_of_ids_are_an_error_naming_the_file()
    {
        string dir = Directory.CreateTempSubdirectory("amurochar-grid-").FullName;
        try
        {
            var folder = new GridFolder(dir);
            folder.Write(Spec(), StudyGrid.Cells(Spec()));
            var root = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(folder.GridFile))!.AsObject();
            string stage = root["cells"]!.AsObject().First().Key;
            root["cells"]![stage] = 5;
            File.WriteAllText(folder.GridFile, root.ToJsonString());
            var e = Assert.Throws<InvalidDataException>(() => folder.ReadCells());
            Assert.Contains(folder.GridFile, e.Message);
            Assert.Contains("is not an array of cell ids", e.Message);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    /// <summary>Issue 21: a relative store in grid.json was resolved against each reader's current folder, and
    /// `grid status`, which only reads, created the store.</summary>
    [Fact]
    public void A_relative_store_is_the_grid_folders_and_status_creates_no_store()
    {
        string dir = Directory.CreateTempSubdirectory("amurochar-grid-").FullName;
        try
        {
            var folder = new GridFolder(dir);
            folder.Write(Spec() with { Store = "relative-store" }, StudyGrid.Cells(Spec()));
            Assert.Equal(Path.Combine(dir, "relative-store"), folder.ReadSpec().Store);
            var status = new SlurmGrid(folder, new GridPlanner(folder.ReadSpec(), new PlanOptions()), []).Status();
            Assert.All(status, c => Assert.Equal("not submitted", c.State));
            Assert.False(Directory.Exists(Path.Combine(dir, "relative-store")));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    /// <summary>Issue 21: a non-numeric sbatch answer was stored as a job id and used in --dependency.</summary>
    [Theory]
    [InlineData("12345\n", "12345")]
    [InlineData("678;cluster-a\n", "678")]
    public void A_parsable_sbatch_answer_gives_its_job_id(string output, string id) => Assert.Equal(id, Slurm.JobId(output, "x.sbatch"));

    [Theory]
    [InlineData("Submitted batch job 12345")]
    [InlineData("")]
    [InlineData("12a;c")]
    [InlineData("99999999999999999999999")]
    public void Anything_else_from_sbatch_is_an_error_quoting_it(string output)
    {
        var e = Assert.Throws<InvalidOperationException>(() => Slurm.JobId(output, "x.sbatch"));
        Assert.Contains("not a job id", e.Message);
    }

    [Theory]
    [InlineData(new[] { 0, 1, 2, 3 }, "0-3")]
    [InlineData(new[] { 5, 0, 2, 3, 9 }, "0,2-3,5,9")]
    [InlineData(new[] { 7 }, "7")]
    public void Array_spec_compresses_runs(int[] indices, string expected) => Assert.Equal(expected, Slurm.ArraySpec(indices));
}
