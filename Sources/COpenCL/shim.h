// OpenCL 1.2 API (what every vendor driver, NVIDIA's included, accepts) and CLBlast's C API.
#ifndef SWIFTTUNE_COPENCL_SHIM_H
#define SWIFTTUNE_COPENCL_SHIM_H
#define CL_TARGET_OPENCL_VERSION 120
#define CL_USE_DEPRECATED_OPENCL_1_2_APIS
#include <CL/cl.h>
#include <clblast_c.h>
#endif
