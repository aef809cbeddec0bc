using Fleet.Agent;
using Fleet.Agent.Configuration;
using Fleet.Agent.Hosting;

WebApplication app;
try
{
    app = AgentApp.Build(args, Environment.GetEnvironmentVariable);
}
catch (AgentConfigurationException e)
{
    Console.Error.WriteLine(e.Message);
    return ExitCodes.InvalidConfiguration;
}

var failure = app.Services.GetRequiredService<StartupFailure>(); // the provider is disposed once RunAsync returns
await app.RunAsync();
return failure.ExitCode;
