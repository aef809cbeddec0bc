namespace Fleet.Infra.Orchestrators;

/// <summary>Type tokens of the cloud-independent providers (tls, random, command, docker).</summary>
public static class StackTypes
{
    public const string PrivateKey = "tls:index/privateKey:PrivateKey";
    public const string SelfSignedCert = "tls:index/selfSignedCert:SelfSignedCert";
    public const string CertRequest = "tls:index/certRequest:CertRequest";
    public const string LocallySignedCert = "tls:index/locallySignedCert:LocallySignedCert";
    public const string RandomPassword = "random:index/randomPassword:RandomPassword";
    public const string RemoteCommand = "command:remote:Command";
    public const string DockerProvider = "pulumi:providers:docker";
    public const string DockerNetwork = "docker:index/network:Network";
    public const string DockerService = "docker:index/service:Service";
    public const string DockerServiceConfig = "docker:index/serviceConfig:ServiceConfig";
    public const string DockerSecret = "docker:index/secret:Secret";
}
