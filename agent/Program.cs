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

await app.RunAsync();
return app.Services.GetRequiredService<StartupFailure>().ExitCode;
