using Fleet.Stacks.Hosting;

// The control service: FLEET_ options from the environment, checked all at once; then services, routes, run.
var errors = new List<string>();
var options = StacksOptionsReader.Read(Environment.GetEnvironmentVariable, errors);
if (options is null)
{
    foreach (var error in errors) Console.Error.WriteLine($"fleet-stacks: {error}");
    return 2;
}

var builder = WebApplication.CreateSlimBuilder(args);
builder.UseFleetLogging(options.LogFormat);
builder.WebHost.UseUrls(options.Listen);
builder.AddFleetStacks(options);

var app = builder.Build();
app.MapFleetStacks();
app.Run();
return 0;
