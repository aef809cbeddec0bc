using Fleet.Gateway.Configuration;
using Fleet.Gateway.Hosting;

// The gateway: FLEET_ options from the environment, checked all at once; then services, routes, run.
var errors = new List<string>();
var options = GatewayOptionsReader.Read(Environment.GetEnvironmentVariable, errors);
GatewayOptionsValidator.Validate(options, errors);
if (errors.Count > 0)
{
    foreach (var error in errors) Console.Error.WriteLine($"fleet-gateway: {error}");
    return ExitCodes.InvalidConfiguration;
}

var builder = WebApplication.CreateSlimBuilder(args);
if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["http_ports"]))
    builder.WebHost.UseUrls("http://0.0.0.0:8080"); // ASPNETCORE_URLS (or --urls) wins when set
builder.AddFleetLogging(options);
builder.AddFleetGateway(options);

var app = builder.Build();
app.MapFleetGateway();
app.Run();
return ExitCodes.Ok;
