; Entered in flat 32-bit protected mode at CPL 0 (paging off). Goes to ring 3 with IRET, makes an
; INT 80h system call through the TSS stack, takes a #GP for CLI at CPL 3, does a SYSENTER/SYSEXIT
; round trip and ends with INT 81h, whose handler halts with IF clear.
bits 32
org 0x1000
start:
    mov esp, 0x8000
    lgdt [gdt_desc]
    lidt [idt_desc]
    mov ax, 0x28
    ltr ax
    mov ecx, 0x174
    mov eax, 0x08
    xor edx, edx
    wrmsr
    inc ecx
    mov eax, 0x9800
    wrmsr
    inc ecx
    mov eax, sysenter_target
    wrmsr
    push dword 0x23
    push dword 0x6000
    push dword 0x002
    push dword 0x1B
    push dword user
    iret
user:
    mov ax, 0x23
    mov ds, ax
    mov es, ax
    mov eax, 7
    int 0x80
    mov [0x600], eax
cli_at:
    cli
    mov dword [0x604], 1
    mov ecx, esp
    mov edx, after_sysexit
    sysenter
after_sysexit:
    mov [0x608], cs
    int 0x81
syscall_handler:
    mov ebx, [esp+4]
    mov [0x610], ebx
    mov [0x614], esp
    add eax, eax
    iret
gp_handler:
    pop ebx
    mov [0x618], ebx
    mov ebx, [esp]
    mov [0x61C], ebx
    inc dword [esp]
    iret
sysenter_target:
    mov [0x620], esp
    sysexit
end_handler:
    hlt
align 8
gdt:
    dq 0
    dq 0x00CF9A000000FFFF
    dq 0x00CF92000000FFFF
    dq 0x00CFFA000000FFFF
    dq 0x00CFF2000000FFFF
    dw 0x67, tss
    db 0, 0x89, 0, 0
gdt_desc:
    dw 6*8-1
    dd gdt
idt:
    times 13 dq 0
    dw gp_handler, 0x08, 0x8E00, 0
    times (0x80 - 14) dq 0
    dw syscall_handler, 0x08, 0xEE00, 0
    dw end_handler, 0x08, 0xEE00, 0
idt_desc:
    dw 0x82*8-1
    dd idt
align 4
tss:
    dd 0, 0x9000, 0x10
    times 23 dd 0
    dw 0, 0x68
